// The instructor dashboard's data and actions. Every function that reads or changes a cohort
// takes the Viewer and checks it itself (access.ts).
export { getCohortForViewer, COHORT_LAB } from "./access";
export { listCohorts, createCohort, renameCohort, regenerateJoinCode, deleteCohort, removeMember, cohortNameSchema } from "./manage";
export { joinCohort, listMemberships, leaveCohort } from "./membership";
export { parseMatrixQuery, normalizeMatrixQuery, matrixQueryToParams, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "./matrix-query";
export { getCohortProgress, cohortVersion } from "./progress";
export { TIME_BUCKETS } from "./matrix";
export { cohortCsv, cellStatusText } from "./csv";
export { getLearnerDrillDown } from "./drill-down";
export { recheckLearners, LAST_RECHECKABLE_STEP } from "./recheck";
export type { RecheckOptions } from "./recheck";
export { CohortInputError, UnknownJoinCodeError, TooManyJoinAttemptsError } from "./errors";
export { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, normalizeJoinCode } from "./join-code";
export type * from "./types";
export { MATRIX_SORTS } from "./types";

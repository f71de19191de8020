// Tenant isolation, states: every operation that names a resource, tried by another account (see states.table.ts).
import { statesTable } from "./states.table";
import { isolationSuite } from "./support";

isolationSuite(statesTable);

// The suite covers every service the sandbox wires: a new service needs a table here, and each
// table must have a row or an exemption for every operation (checked in each service's file).
import { describe, expect, it } from "vitest";
import { eventsTable } from "./events.table";
import { iamTable } from "./iam.table";
import { lambdaTable } from "./lambda.table";
import { snsTable } from "./sns.table";
import { sqsTable } from "./sqs.table";
import { statesTable } from "./states.table";
import { stsTable } from "./sts.table";
import { wiredOperations } from "./support";

const tables = [sqsTable, snsTable, iamTable, stsTable, lambdaTable, statesTable, eventsTable];

describe("tenant isolation coverage", () => {
  it("has a table for every service the sandbox wires, whose rows and exemptions are exactly its operations", () => {
    const wired = wiredOperations();
    expect(tables.map((t) => t.service).sort()).toEqual([...wired.keys()].sort());
    for (const t of tables) {
      expect({ service: t.service, operations: [...Object.keys(t.rows), ...Object.keys(t.exempt)].sort() }).toEqual({ service: t.service, operations: wired.get(t.service) });
    }
  });
});

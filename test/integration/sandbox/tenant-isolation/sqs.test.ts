// Tenant isolation, SQS: every operation that names a queue, tried by another account (see sqs.table.ts).
import { sqsTable } from "./sqs.table";
import { isolationSuite } from "./support";

isolationSuite(sqsTable);

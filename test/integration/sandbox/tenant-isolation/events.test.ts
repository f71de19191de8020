// Tenant isolation, events: every operation that names a resource, tried by another account (see events.table.ts).
import { eventsTable } from "./events.table";
import { isolationSuite } from "./support";

isolationSuite(eventsTable);

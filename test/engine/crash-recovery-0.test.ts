import { crashSuite } from "../fakes/local-crash.ts";

crashSuite([0, 1]);

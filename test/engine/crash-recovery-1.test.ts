import { crashSuite } from "../fakes/local-crash.ts";

crashSuite([2, 3]);

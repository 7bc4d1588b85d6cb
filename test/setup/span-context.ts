import { enableSpanContext } from "../../src/adapters/otel/context.ts";

enableSpanContext();

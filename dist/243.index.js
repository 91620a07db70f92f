export const id = 243;
export const ids = [243];
export const modules = {

/***/ 7243:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   startOtlpTracerProvider: () => (/* binding */ startOtlpTracerProvider)
/* harmony export */ });
/* unused harmony export OtlpJsonExporter */
const SDK = "@opentelemetry/sdk-trace-base";
/**
 * A tracer provider that batches spans to `url`. The SDK is an optional peer dependency of the
 * skilldex package and is loaded only here, so a run that exports no spans never reads it.
 */
async function startOtlpTracerProvider(url, serviceName, headers) {
    const { BasicTracerProvider, BatchSpanProcessor } = await loadSdk();
    return new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(new OtlpJsonExporter(url, serviceName, headers))] });
}
async function loadSdk() {
    try {
        // A literal specifier, so that the Action's bundler still puts the SDK in a chunk of its own.
        return await Promise.all(/* import() */[__webpack_require__.e(914), __webpack_require__.e(644)]).then(__webpack_require__.t.bind(__webpack_require__, 9644, 19));
    }
    catch (error) {
        const code = error.code;
        if ((code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && String(error.message).includes(SDK)) {
            throw new Error(`OTLP trace export is configured but ${SDK} is not installed: run \`npm i ${SDK}\` beside skilldex, or unset OTEL_EXPORTER_OTLP_ENDPOINT`, { cause: error });
        }
        throw error;
    }
}
/**
 * Sends spans as OTLP/HTTP JSON. The official exporter package pulls in protobuf and a transport
 * layer; the JSON encoding of a few spans is small enough to write here and keeps the bundle lean.
 */
class OtlpJsonExporter {
    url;
    serviceName;
    headers;
    constructor(url, serviceName, headers = {}) {
        this.url = url;
        this.serviceName = serviceName;
        this.headers = headers;
    }
    export(spans, done) {
        const body = {
            resourceSpans: [
                {
                    resource: { attributes: toAttributes({ "service.name": this.serviceName }) },
                    scopeSpans: [
                        {
                            scope: { name: "skilldex" },
                            spans: spans.map((s) => ({
                                traceId: s.spanContext().traceId,
                                spanId: s.spanContext().spanId,
                                parentSpanId: s.parentSpanContext?.spanId,
                                name: s.name,
                                kind: s.kind + 1,
                                startTimeUnixNano: hrToNanos(s.startTime),
                                endTimeUnixNano: hrToNanos(s.endTime),
                                attributes: toAttributes(s.attributes),
                                status: { code: s.status.code, message: s.status.message },
                            })),
                        },
                    ],
                },
            ],
        };
        fetch(this.url, { method: "POST", headers: { "content-type": "application/json", ...this.headers }, body: JSON.stringify(body) })
            .then((response) => done(response.ok ? { code: 0 } : { code: 1, error: new Error(`OTLP endpoint answered ${response.status}`) }))
            .catch((error) => done({ code: 1, error }));
    }
    async shutdown() { }
}
function hrToNanos([seconds, nanos]) {
    return (BigInt(seconds) * 1000000000n + BigInt(nanos)).toString();
}
function toAttributes(attributes) {
    const out = [];
    for (const [key, value] of Object.entries(attributes)) {
        if (typeof value === "string")
            out.push({ key, value: { stringValue: value } });
        else if (typeof value === "boolean")
            out.push({ key, value: { boolValue: value } });
        else if (typeof value === "number")
            out.push({ key, value: Number.isInteger(value) ? { intValue: value } : { doubleValue: value } });
    }
    return out;
}
//# sourceMappingURL=otlp.js.map

/***/ })

};

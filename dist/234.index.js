export const id = 234;
export const ids = [234,191];
export const modules = {

/***/ 4234:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ApiSource: () => (/* binding */ ApiSource),
/* harmony export */   O: () => (/* binding */ runLimited)
/* harmony export */ });
/* harmony import */ var _github_client_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4742);
/* harmony import */ var _github_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4369);
/* harmony import */ var _github_files_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(255);
/* harmony import */ var _pipeline_read_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5881);
/* harmony import */ var _clone_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1191);
/* harmony import */ var _needed_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(7033);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(6551);
/* harmony import */ var _workspace_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(2559);








/**
 * One commit of a GitHub repository read through the REST API: one recursive tree listing, then
 * the blobs a scan reads, fetched together as soon as the listing is known.
 */
class ApiSource {
    client;
    options;
    entries;
    ref;
    strategy = "api";
    localRoot = null;
    /** Warnings that belong in the report: how the source was chosen, a truncated listing. */
    notes = [];
    blobs = new Map();
    /** Set by dispose(): requests not yet sent are not sent, so a failed run ends at once. */
    disposed = false;
    constructor(client, options, entries, ref) {
        this.client = client;
        this.options = options;
        this.entries = entries;
        this.ref = ref;
    }
    static async open(options) {
        // Reads only: the one-write-a-second pacing would space GraphQL queries too.
        const client = new _github_client_js__WEBPACK_IMPORTED_MODULE_0__/* .GitHubClient */ .jh({ ...options, ...(options.retryDelayMs === undefined ? {} : { retryAfterBaseValue: options.retryDelayMs }), paceWrites: false });
        try {
            const ref = options.ref || (await (0,_github_files_js__WEBPACK_IMPORTED_MODULE_2__/* .readDefaultBranch */ .yt)(client.repository));
            const { entries, truncated } = await listFiles(client, options, ref);
            if (options.subdir && entries.size === 0)
                throw new _clone_js__WEBPACK_IMPORTED_MODULE_4__.SourceFetchError(`${options.subdir} holds no files at ${ref}`, "fetch_failed");
            const source = new ApiSource(client, options, entries, ref);
            if (truncated)
                source.notes.push(`The API truncated the tree listing of ${options.owner}/${options.repo} (over 100,000 files or 7 MB): files past the cut are missing from this scan; the clone source has no such limit.`);
            source.prefetch();
            return source;
        }
        catch (error) {
            if (error instanceof _clone_js__WEBPACK_IMPORTED_MODULE_4__.SourceFetchError)
                throw error;
            throw new _clone_js__WEBPACK_IMPORTED_MODULE_4__.SourceFetchError(error instanceof Error ? error.message : String(error), "fetch_failed");
        }
    }
    get apiCalls() {
        return this.client.requests;
    }
    get bytesFetched() {
        return this.client.bytes;
    }
    async listFiles() {
        return { files: [...this.entries.keys()].sort(_workspace_js__WEBPACK_IMPORTED_MODULE_7__/* .comparePaths */ .cD), warnings: [...this.notes] };
    }
    async readFile(path, maxBytes) {
        const entry = this.entries.get(path);
        if (!entry)
            return { ok: false, code: "io_error", message: "no such file in the fetched commit", missing: true };
        // The listing gives sizes, so a file too large is refused without fetching it.
        if (entry.size > maxBytes)
            return { ok: false, code: "too_large", size: entry.size };
        try {
            const bytes = await this.blob(entry);
            if (bytes.length > maxBytes)
                return { ok: false, code: "too_large", size: bytes.length };
            return { ok: true, bytes };
        }
        catch (error) {
            return { ok: false, code: "io_error", message: error instanceof Error ? error.message : String(error) };
        }
    }
    async dispose() {
        this.disposed = true;
    }
    /** Compares blob ids with the base commit's tree: one more call. */
    async compareWithBase(base) {
        const { entries } = await listFiles(this.client, this.options, base);
        return (0,_clone_js__WEBPACK_IMPORTED_MODULE_4__/* .compareEntries */ .wD)(new Map([...entries].map(([path, item]) => [path, item.sha])), this.entries);
    }
    blob(entry) {
        let pending = this.blobs.get(entry.sha);
        if (!pending) {
            pending = (0,_github_files_js__WEBPACK_IMPORTED_MODULE_2__/* .readBlob */ .gm)(this.client.repository, entry.sha, entry.path);
            this.blobs.set(entry.sha, pending);
        }
        return pending;
    }
    /** Starts fetching every file the scan will read, a bounded number of requests at a time. */
    prefetch() {
        const wanted = (this.options.select ?? _needed_js__WEBPACK_IMPORTED_MODULE_5__/* .filesToFetch */ .d)([...this.entries.keys()].sort(_workspace_js__WEBPACK_IMPORTED_MODULE_7__/* .comparePaths */ .cD));
        const items = [...new Map(wanted.map((p) => this.entries.get(p)).filter((e) => e.size <= _pipeline_read_js__WEBPACK_IMPORTED_MODULE_3__/* .MAX_MANIFEST_BYTES */ .Z).map((e) => [e.sha, e])).values()];
        const useGraphql = (this.options.blobs ?? (this.options.token ? "graphql" : "rest")) === "graphql";
        const tasks = [];
        if (useGraphql) {
            for (let i = 0; i < items.length; i += _github_files_js__WEBPACK_IMPORTED_MODULE_2__/* .BLOB_BATCH */ .fD) {
                const batch = items.slice(i, i + _github_files_js__WEBPACK_IMPORTED_MODULE_2__/* .BLOB_BATCH */ .fD);
                const settle = new Map();
                for (const item of batch) {
                    const pending = new Promise((resolve, reject) => settle.set(item.sha, { resolve, reject }));
                    // A failure surfaces when the file is read; until then it must not count as unhandled.
                    pending.catch(() => undefined);
                    this.blobs.set(item.sha, pending);
                }
                tasks.push(() => this.fetchBatch(batch, settle));
            }
        }
        else {
            for (const item of items)
                tasks.push(() => this.blob(item).then(() => undefined, () => undefined));
        }
        void runLimited(tasks.map((task) => () => (this.disposed ? Promise.resolve() : task())), this.options.concurrency ?? 8);
    }
    /** One GraphQL request for many blobs; any blob it cannot give as text is fetched through REST. */
    async fetchBatch(batch, settle) {
        const texts = await (0,_github_files_js__WEBPACK_IMPORTED_MODULE_2__/* .readBlobTexts */ .CX)(this.client.repository, batch);
        for (const item of batch) {
            const { resolve, reject } = settle.get(item.sha);
            const bytes = texts.get(item.sha);
            if (bytes)
                resolve(bytes);
            else
                (0,_github_files_js__WEBPACK_IMPORTED_MODULE_2__/* .readBlob */ .gm)(this.client.repository, item.sha, item.path).then(resolve, reject);
        }
    }
}
/** The blobs of a ref's tree below the subdir, by path relative to it, leaving out what is never walked. */
async function listFiles(client, options, ref) {
    let tree;
    try {
        tree = await (0,_github_files_js__WEBPACK_IMPORTED_MODULE_2__/* .listTree */ .nT)(client.repository, ref);
    }
    catch (error) {
        if (error instanceof _github_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .GitHubError */ .y_ && (error.status === 404 || error.status === 422)) {
            throw new _clone_js__WEBPACK_IMPORTED_MODULE_4__.SourceFetchError(`${options.owner}/${options.repo} has no commit, branch or tag ${ref} that this token can see (${error.message})`, "fetch_failed");
        }
        throw error;
    }
    const prefix = options.subdir ? `${options.subdir.replace(/^\/+|\/+$/g, "")}/` : "";
    const entries = new Map();
    for (const item of tree.entries) {
        if (!item.path.startsWith(prefix))
            continue;
        const path = item.path.slice(prefix.length);
        if (path.split("/").some((part) => _types_js__WEBPACK_IMPORTED_MODULE_6__/* .NEVER_WALKED */ .i.has(part)))
            continue;
        entries.set(path, item);
    }
    return { entries, truncated: tree.truncated };
}
/** Runs tasks with at most `limit` in flight. */
async function runLimited(tasks, limit) {
    let next = 0;
    const worker = async () => {
        while (next < tasks.length) {
            const task = tasks[next++];
            await task();
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
}
//# sourceMappingURL=api.js.map

/***/ }),

/***/ 1191:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CloneSource: () => (/* binding */ CloneSource),
/* harmony export */   SourceFetchError: () => (/* binding */ SourceFetchError),
/* harmony export */   wD: () => (/* binding */ compareEntries)
/* harmony export */ });
/* unused harmony exports DEFAULT_TIMEOUT_MS, DEFAULT_MIN_FREE_BYTES, freeDiskSpace, removeFolder, megabytes */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8161);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6760);
/* harmony import */ var _git_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1242);
/* harmony import */ var _needed_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(7033);
/* harmony import */ var _telemetry_redact_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(3057);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(6551);
/* harmony import */ var _workspace_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(2559);









const DEFAULT_TIMEOUT_MS = 300_000;
const DEFAULT_MIN_FREE_BYTES = 500 * 1024 * 1024;
class SourceFetchError extends Error {
    failure;
    constructor(message, failure) {
        super(message);
        this.failure = failure;
        this.name = "SourceFetchError";
    }
}
const freeDiskSpace = async (dir) => {
    const stats = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.statfs)(dir);
    return stats.bavail * stats.bsize;
};
/**
 * One commit of a remote repository, fetched as a shallow partial clone: the full listing comes
 * from its trees, and only the blobs of the files a scan reads travel, in one batch.
 */
class CloneSource {
    dir;
    commit;
    entries;
    checkedOut;
    prefix;
    git;
    timeoutMs;
    bytesFetched;
    strategy = "clone";
    apiCalls = 0;
    /** Warnings that belong in the report: how the source was chosen. */
    notes = [];
    disposed = false;
    /** Blobs read from the object store at open, by id. */
    loaded = new Map();
    constructor(
    /** The temporary repository; its work tree holds the checked-out files. */
    dir, commit, entries, checkedOut, prefix, git, timeoutMs, bytesFetched) {
        this.dir = dir;
        this.commit = commit;
        this.entries = entries;
        this.checkedOut = checkedOut;
        this.prefix = prefix;
        this.git = git;
        this.timeoutMs = timeoutMs;
        this.bytesFetched = bytesFetched;
    }
    static async open(options) {
        const parent = options.tempDir ?? (0,node_os__WEBPACK_IMPORTED_MODULE_2__.tmpdir)();
        const minFree = options.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES;
        const free = await (options.diskSpace ?? freeDiskSpace)(parent);
        if (free < minFree) {
            throw new SourceFetchError(`only ${megabytes(free)} free in ${parent}, below the ${megabytes(minFree)} a clone needs`, "disk_space");
        }
        const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
        const scrub = (text) => (0,_telemetry_redact_js__WEBPACK_IMPORTED_MODULE_8__/* .redact */ .E$)(text, [options.token]);
        const git = { env: options.env, configEnv: authConfig(options.url, options.token), redact: scrub };
        const prefix = options.subdir ? `${options.subdir.replace(/^\/+|\/+$/g, "")}/` : "";
        const dir = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdtemp)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(parent, "skilldex-clone-"));
        trackForExit(dir);
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(`ran past the ${Math.round(timeoutMs / 1000)} s timeout`), timeoutMs);
        try {
            const run = { ...git, signal: controller.signal };
            const commit = await (0,_git_js__WEBPACK_IMPORTED_MODULE_4__/* .fetchCommitWithoutBlobs */ .ql)(dir, options.url, options.ref ?? null, run);
            const entries = new Map();
            for (const entry of await (0,_git_js__WEBPACK_IMPORTED_MODULE_4__/* .listTreeFiles */ .I3)(dir, commit, run)) {
                if (!entry.path.startsWith(prefix))
                    continue;
                const path = entry.path.slice(prefix.length);
                if (path.split("/").some((part) => _types_js__WEBPACK_IMPORTED_MODULE_6__/* .NEVER_WALKED */ .i.has(part)))
                    continue;
                entries.set(path, entry);
            }
            if (prefix && entries.size === 0)
                throw new SourceFetchError(`${options.subdir} holds no files at ${options.ref ?? "HEAD"}`, "fetch_failed");
            const chosen = (options.select ?? _needed_js__WEBPACK_IMPORTED_MODULE_5__/* .filesToFetch */ .d)([...entries.keys()].sort(_workspace_js__WEBPACK_IMPORTED_MODULE_7__/* .comparePaths */ .cD));
            let loaded = new Map();
            if (options.checkout === "sparse") {
                await (0,_git_js__WEBPACK_IMPORTED_MODULE_4__/* .checkoutOnly */ .jy)(dir, commit, chosen.map((p) => prefix + p), run);
            }
            else {
                const oids = [...new Set(chosen.map((p) => entries.get(p).sha))];
                await (0,_git_js__WEBPACK_IMPORTED_MODULE_4__/* .fetchBlobs */ .HP)(dir, oids, run);
                loaded = await (0,_git_js__WEBPACK_IMPORTED_MODULE_4__/* .readBlobs */ .b4)(dir, oids, run);
            }
            const source = new CloneSource(dir, commit, entries, options.checkout === "sparse" ? new Set(chosen) : new Set(), prefix, git, timeoutMs, await folderSize((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, ".git", "objects")));
            source.loaded = loaded;
            return source;
        }
        catch (error) {
            await removeFolder(dir);
            if (controller.signal.aborted)
                throw new SourceFetchError(`git ${String(controller.signal.reason)}`, "timeout");
            if (error instanceof SourceFetchError)
                throw error;
            const message = scrub(error instanceof Error ? error.message : String(error));
            throw new SourceFetchError(message, /not installed or not on PATH/.test(message) ? "git_missing" : "fetch_failed");
        }
        finally {
            clearTimeout(timer);
        }
    }
    /** The sparse work tree, when `checkout: "sparse"` made one for the whole repository. */
    get localRoot() {
        return this.prefix || this.checkedOut.size === 0 ? null : this.dir;
    }
    async listFiles() {
        return { files: [...this.entries.keys()].sort(_workspace_js__WEBPACK_IMPORTED_MODULE_7__/* .comparePaths */ .cD), warnings: [...this.notes] };
    }
    async readFile(path, maxBytes) {
        const entry = this.entries.get(path);
        if (!entry || this.disposed)
            return { ok: false, code: "io_error", message: "no such file in the fetched commit", missing: !entry };
        const loaded = this.loaded.get(entry.sha);
        if (loaded)
            return loaded.length > maxBytes ? { ok: false, code: "too_large", size: loaded.length } : { ok: true, bytes: loaded };
        if (this.checkedOut.has(path) && entry.mode !== "120000") {
            const read = await readLocal((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(this.dir, this.prefix + path), maxBytes);
            if (read.ok || read.code === "too_large")
                return read;
        }
        // A file the scan was not expected to read: its blob is fetched now, on its own.
        return this.fetchBlob(entry.sha, maxBytes);
    }
    /** Compares tree entries with the base commit's, fetched the same way: trees only. */
    async compareWithBase(base) {
        const run = { ...this.git, signal: AbortSignal.timeout(this.timeoutMs) };
        let baseCommit;
        try {
            baseCommit = await (0,_git_js__WEBPACK_IMPORTED_MODULE_4__/* .fetchAnotherCommit */ .v4)(this.dir, base, run);
        }
        catch (error) {
            throw new SourceFetchError(`cannot compare with ${base}: ${error instanceof Error ? error.message : String(error)}`, "fetch_failed");
        }
        const atBase = new Map();
        for (const entry of await (0,_git_js__WEBPACK_IMPORTED_MODULE_4__/* .listTreeFiles */ .I3)(this.dir, baseCommit, run)) {
            if (entry.path.startsWith(this.prefix))
                atBase.set(entry.path.slice(this.prefix.length), entry.sha);
        }
        return { ...compareEntries(atBase, this.entries), readAtBase: (path, maxBytes) => this.readBaseBlob(atBase.get(path), maxBytes) };
    }
    async readBaseBlob(sha, maxBytes) {
        if (sha === undefined || this.disposed)
            return { ok: false, code: "io_error", message: "no such file in the base commit", missing: sha === undefined };
        return this.fetchBlob(sha, maxBytes);
    }
    /** One blob fetched on its own from the promisor remote. */
    async fetchBlob(sha, maxBytes) {
        const read = await (0,_workspace_js__WEBPACK_IMPORTED_MODULE_7__/* .readObject */ .Ag)(this.dir, sha, maxBytes, { ...this.git, signal: AbortSignal.timeout(this.timeoutMs) });
        if (read.ok)
            this.bytesFetched += read.bytes.length;
        else if (read.code === "too_large")
            this.bytesFetched += read.size;
        return read;
    }
    async dispose() {
        this.disposed = true;
        await removeFolder(this.dir);
    }
}
/** Files at the base, and files added, changed or deleted since: by blob id, so no content is needed. */
function compareEntries(atBase, now) {
    const changed = new Set();
    for (const [path, entry] of now)
        if (atBase.get(path) !== entry.sha)
            changed.add(path);
    for (const path of atBase.keys())
        if (!now.has(path))
            changed.add(path);
    return { atBase: new Set(atBase.keys()), changed };
}
/**
 * The configuration that authenticates git over HTTP: an extra header scoped to the URL's
 * origin, so a redirect elsewhere never carries it. It travels in the environment, not argv.
 */
function authConfig(url, token) {
    if (!token || !/^https?:\/\//i.test(url))
        return [];
    return [[`http.${new URL(url).origin}/.extraheader`, `AUTHORIZATION: basic ${(0,_telemetry_redact_js__WEBPACK_IMPORTED_MODULE_8__/* .basicCredential */ .gp)(token)}`]];
}
async function readLocal(file, maxBytes) {
    let handle;
    try {
        handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(file, "r");
        const size = (await handle.stat()).size;
        if (size > maxBytes)
            return { ok: false, code: "too_large", size };
        const bytes = Buffer.alloc(size);
        const { bytesRead } = await handle.read(bytes, 0, size, 0);
        return { ok: true, bytes: bytes.subarray(0, bytesRead) };
    }
    catch (error) {
        return { ok: false, code: "io_error", message: (0,_workspace_js__WEBPACK_IMPORTED_MODULE_7__/* .describeFsError */ .TQ)(error) };
    }
    finally {
        await handle?.close();
    }
}
async function folderSize(dir) {
    let total = 0;
    for (const entry of await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readdir)(dir, { withFileTypes: true, recursive: true })) {
        if (entry.isFile())
            total += (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(entry.parentPath, entry.name))).size;
    }
    return total;
}
/** Retries cover a git process that is still dying after a kill and writing into the folder. */
async function removeFolder(dir) {
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    live.delete(dir);
}
/** Clones not yet removed: a run that ends early (an uncaught error, process.exit) still leaves none behind. */
const live = new Set();
let exitHook = false;
function trackForExit(dir) {
    live.add(dir);
    if (exitHook)
        return;
    exitHook = true;
    process.once("exit", () => {
        for (const d of live)
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(d, { recursive: true, force: true });
    });
}
function megabytes(bytes) {
    return `${Math.round(bytes / (1024 * 1024))} MB`;
}
//# sourceMappingURL=clone.js.map

/***/ }),

/***/ 7033:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   d: () => (/* binding */ filesToFetch)
/* harmony export */ });
/* harmony import */ var _discover_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(787);
/* harmony import */ var _discover_paths_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3644);
/* harmony import */ var _skips_index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7929);



/**
 * The files a scan will read, chosen from the listing alone: every manifest discovery finds, plus
 * what it can only judge by reading (every marketplace.json, whose plugin folders may hold an
 * `mcp.json`, so every MCP config too) and the skilldex config. A few more than needed costs a few
 * small blobs; one too few costs a round trip later.
 */
function filesToFetch(files) {
    const wanted = new Set();
    for (const artifact of (0,_discover_index_js__WEBPACK_IMPORTED_MODULE_0__/* .discover */ .k)(files, { repoName: "root" }))
        if (artifact.manifest)
            wanted.add(artifact.manifest);
    for (const file of files) {
        const name = (0,_discover_paths_js__WEBPACK_IMPORTED_MODULE_2__/* .basename */ .P8)(file);
        if (file === _skips_index_js__WEBPACK_IMPORTED_MODULE_1__/* .SKIP_FILE_PATH */ .ZG || name === "marketplace.json" || name === ".mcp.json" || name === "mcp.json")
            wanted.add(file);
    }
    return files.filter((f) => wanted.has(f));
}
//# sourceMappingURL=needed.js.map

/***/ })

};

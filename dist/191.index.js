export const id = 191;
export const ids = [191];
export const modules = {

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
/* harmony import */ var _git_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(794);
/* harmony import */ var _needed_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(7033);
/* harmony import */ var _telemetry_redact_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(3057);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(725);
/* harmony import */ var _workspace_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(2411);









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
 * from its trees, and only the blobs of the files a scan reads travel, in one batch, when the
 * first file is read (or in the batches `prefetch` asks for, which replace it).
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
    /** The root tree of the commit. */
    treeSha = null;
    /** Blobs fetched from the remote so far, in batches or one by one. */
    blobsFetched = 0;
    disposed = false;
    /** Blobs read from the object store, by id. */
    loaded = new Map();
    /** The blobs the scan is expected to read, fetched in one batch at the first read unless `prefetch` comes first. */
    planned = null;
    fetching = null;
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
            if (options.checkout === "sparse")
                await (0,_git_js__WEBPACK_IMPORTED_MODULE_4__/* .checkoutOnly */ .jy)(dir, commit, chosen.map((p) => prefix + p), run);
            const source = new CloneSource(dir, commit, entries, options.checkout === "sparse" ? new Set(chosen) : new Set(), prefix, git, timeoutMs, await folderSize((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, ".git", "objects")));
            if (options.checkout !== "sparse")
                source.planned = [...new Set(chosen.map((p) => entries.get(p).sha))];
            // The commit object is in the clone already: its first line names the tree.
            const commitObject = (await (0,_git_js__WEBPACK_IMPORTED_MODULE_4__/* .readBlobs */ .b4)(dir, [commit], run)).get(commit);
            source.treeSha = /^tree ([0-9a-f]{40,64})/.exec(commitObject ? Buffer.from(commitObject).toString("utf8") : "")?.[1] ?? null;
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
    get commitSha() {
        return this.commit;
    }
    blobSha(path) {
        return this.entries.get(path)?.sha ?? null;
    }
    heldBlob(sha) {
        return this.loaded.get(sha);
    }
    /** Fetches these files' blobs in one batch, the `known` ones taken as given; the batch planned at open is not fetched. */
    async prefetch(paths, known = new Map()) {
        this.planned = null;
        await this.fetching;
        for (const [sha, bytes] of known)
            this.loaded.set(sha, bytes);
        const oids = new Set();
        for (const path of paths) {
            const sha = this.entries.get(path)?.sha;
            if (sha !== undefined && !this.loaded.has(sha))
                oids.add(sha);
        }
        await this.fetchBatch([...oids]);
    }
    async readFile(path, maxBytes) {
        if (this.planned) {
            this.fetching = this.fetchBatch(this.planned);
            this.planned = null;
        }
        await this.fetching;
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
        if (read.ok || read.code === "too_large")
            this.blobsFetched++;
        return read;
    }
    /** Blobs fetched in one request and read from the object store; bytes counted as what the packs added. */
    async fetchBatch(oids) {
        if (oids.length === 0 || this.disposed)
            return;
        const run = { ...this.git, signal: AbortSignal.timeout(this.timeoutMs) };
        const objects = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(this.dir, ".git", "objects");
        const before = await folderSize(objects);
        try {
            await (0,_git_js__WEBPACK_IMPORTED_MODULE_4__/* .fetchBlobs */ .HP)(this.dir, oids, run);
            for (const [oid, bytes] of await (0,_git_js__WEBPACK_IMPORTED_MODULE_4__/* .readBlobs */ .b4)(this.dir, oids, run))
                this.loaded.set(oid, bytes);
            this.blobsFetched += oids.length;
        }
        catch {
            // Each file of the batch is then fetched on its own when read, and says why when it cannot be.
        }
        if (!this.disposed)
            this.bytesFetched += (await folderSize(objects)) - before;
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

/***/ })

};

import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
var __webpack_exports__ = {};

;// CONCATENATED MODULE: external "node:worker_threads"
const external_node_worker_threads_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");
;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: external "node:buffer"
const external_node_buffer_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");
;// CONCATENATED MODULE: ./lib/src/parse/position.js
const FILE_START = { line: 1, column: 1, endLine: 1, endColumn: 1 };
/** Turns character offsets of a text into 1-based lines and columns. */
class LineIndex {
    lineOffset;
    starts = [0];
    constructor(text, 
    /** Lines that precede `text` in its file, as for frontmatter after the opening `---`. */
    lineOffset = 0) {
        this.lineOffset = lineOffset;
        for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1))
            this.starts.push(i + 1);
    }
    point(offset) {
        let lo = 0;
        let hi = this.starts.length - 1;
        while (lo < hi) {
            const mid = (lo + hi + 1) >> 1;
            if (this.starts[mid] <= offset)
                lo = mid;
            else
                hi = mid - 1;
        }
        return { line: lo + 1 + this.lineOffset, column: offset - this.starts[lo] + 1 };
    }
    span(start, end) {
        const a = this.point(start);
        const b = this.point(Math.max(start, end));
        return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
    }
}
//# sourceMappingURL=position.js.map
;// CONCATENATED MODULE: ./lib/src/parse/text.js


const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
/** How far to look for a NUL byte: git's own binary test looks at the first 8,000 bytes. */
const BINARY_PROBE = 8000;
function decodeText(bytes) {
    if (bytes.length === 0) {
        return { text: null, problems: [{ kind: "empty", message: "The file is empty.", span: FILE_START, fatal: true }] };
    }
    const nul = bytes.subarray(0, BINARY_PROBE).indexOf(0);
    if (nul !== -1) {
        return {
            text: null,
            problems: [{ kind: "binary", message: `The file is binary (a NUL byte at offset ${nul}), not text.`, span: FILE_START, fatal: true }],
        };
    }
    let text;
    try {
        text = utf8.decode(bytes);
    }
    catch {
        const offset = firstInvalidUtf8(bytes);
        const before = Buffer.from(bytes.subarray(0, offset)).toString("utf8");
        const span = new LineIndex(before).span(before.length, before.length);
        return {
            text: null,
            problems: [{ kind: "encoding", message: `The file is not valid UTF-8 (first bad byte at offset ${offset}); save it as UTF-8.`, span, fatal: true }],
        };
    }
    const problems = [];
    if (text.charCodeAt(0) === 0xfeff) {
        text = text.slice(1);
        problems.push({ kind: "bom", message: "The file starts with a byte order mark (BOM); save it as UTF-8 without BOM.", span: FILE_START, fatal: false });
    }
    if (text.trim() === "") {
        problems.push({ kind: "empty", message: "The file holds only white space.", span: FILE_START, fatal: true });
        return { text: null, problems };
    }
    const crlf = text.indexOf("\r\n");
    if (crlf !== -1) {
        const span = new LineIndex(text).span(crlf, crlf);
        problems.push({
            kind: "line-endings",
            message: "The file has CRLF (Windows) line endings; use LF, for example with `* text=auto eol=lf` in .gitattributes.",
            span,
            fatal: false,
        });
    }
    return { text, problems };
}
/**
 * `decodeText` for a Markdown file, whose readers look at its frontmatter alone: the whole file
 * is checked (encoding, NUL bytes, BOM, white space, line endings) on its bytes, and only the
 * text up to the frontmatter's closing `---` is decoded, which parses exactly as the whole text
 * would. The problems are the ones `decodeText` finds; anything unusual is left to it.
 */
function decodeFrontmatterText(bytes) {
    if (bytes.length === 0 || !(0,external_node_buffer_namespaceObject.isUtf8)(bytes) || bytes.subarray(0, BINARY_PROBE).indexOf(0) !== -1)
        return decodeText(bytes);
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    const start = buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
    let first = start;
    while (first < buffer.length && isAsciiSpace(buffer[first]))
        first++;
    // Only white space, or a first character that may be white space outside ASCII: decodeText decides.
    if (first === buffer.length || buffer[first] >= 0x80)
        return decodeText(bytes);
    let end = Math.min(buffer.length, start + 3);
    if (buffer.toString("latin1", start, end) === "---") {
        // The first `---` after the opening one closes the block for both readers; nothing after it is read.
        const close = buffer.indexOf("---", start + 3, "latin1");
        end = close === -1 ? buffer.length : close + 3;
    }
    const problems = [];
    if (start === 3)
        problems.push({ kind: "bom", message: "The file starts with a byte order mark (BOM); save it as UTF-8 without BOM.", span: FILE_START, fatal: false });
    const crlf = buffer.indexOf("\r\n", start, "latin1");
    if (crlf !== -1) {
        const before = buffer.toString("utf8", start, crlf);
        problems.push({
            kind: "line-endings",
            message: "The file has CRLF (Windows) line endings; use LF, for example with `* text=auto eol=lf` in .gitattributes.",
            span: new LineIndex(before).span(before.length, before.length),
            fatal: false,
        });
    }
    return { text: buffer.toString("utf8", start, end), problems };
}
function isAsciiSpace(byte) {
    return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}
function firstInvalidUtf8(bytes) {
    let lo = 0;
    let hi = bytes.length;
    // The longest valid prefix, found by bisection: decoding is all-or-nothing.
    while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (isValidUtf8Prefix(bytes.subarray(0, mid)))
            lo = mid;
        else
            hi = mid - 1;
    }
    // The longest prefix may end inside a sequence that the next byte breaks: the fault starts there.
    let start = lo;
    while (start > 0 && start > lo - 4 && (bytes[start - 1] & 0xc0) === 0x80)
        start--;
    if (start > 0 && (bytes[start - 1] & 0xc0) === 0xc0 && !isValidUtf8(bytes.subarray(0, lo)))
        return start - 1;
    return lo;
}
function isValidUtf8(bytes) {
    try {
        new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
        return true;
    }
    catch {
        return false;
    }
}
function isValidUtf8Prefix(bytes) {
    try {
        // Streaming mode accepts a sequence cut short at the end, which a prefix may be.
        new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes, { stream: true });
        return true;
    }
    catch {
        return false;
    }
}
/** Control characters, line and paragraph separators, and the bidirectional overrides that reorder what a terminal shows. */
const UNPRINTABLE = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069\\]/gu;
const SHORT_ESCAPES = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\" };
/**
 * Text from a repository (a name, a path, a reason) made safe to print on one line: every
 * control character is shown escaped (`\n`, `\u001b`), so a name cannot forge a line of a
 * report or send a terminal an escape sequence. A backslash is doubled only where the text
 * holds something escaped, so ordinary text prints as it is.
 */
function text_escapeControls(text) {
    if (!/[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u.test(text))
        return text;
    return text.replace(UNPRINTABLE, (c) => SHORT_ESCAPES[c] ?? `\\u${c.codePointAt(0).toString(16).padStart(4, "0")}`);
}
/**
 * A count with its thousands grouped, `1,024`, as `toLocaleString("en-US")` writes a whole number,
 * without starting ICU for it (about 15 ms at a process's first call).
 */
function thousands(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
//# sourceMappingURL=text.js.map
;// CONCATENATED MODULE: ./lib/src/rules/_shared/hidden-characters.js
/** Characters that show nothing, or reorder what is shown, and have no business in an instruction file. */
// Written as alternatives, not one class: a class holding joiners reads as a joined sequence.
const HIDDEN = /(?:[\u200B-\u200C]|\u200D|[\u200E-\u200F\u2060-\u2064\u206A-\u206F\uFEFF\u202A-\u202E\u2066-\u2069]|[\u{E0000}-\u{E007F}]|[\u{E0100}-\u{E01EF}])+/gu;
/** The same characters, to tell without a match object whether a text holds any: most hold none. */
const ANY_HIDDEN = new RegExp(HIDDEN.source, "u");
const PICTOGRAPH = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u{FE0F}/u;
/** Scripts whose spelling needs the zero-width non-joiner and the direction marks. */
const JOINING_SCRIPTS = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Devanagari}\p{Script=Bengali}\p{Script=Malayalam}\p{Script=Kannada}\p{Script=Telugu}\p{Script=Tamil}\p{Script=Sinhala}]/u;
const NAMES = {
    0x200b: "ZERO WIDTH SPACE", 0x200c: "ZERO WIDTH NON-JOINER", 0x200d: "ZERO WIDTH JOINER", 0x200e: "LEFT-TO-RIGHT MARK", 0x200f: "RIGHT-TO-LEFT MARK",
    0x2060: "WORD JOINER", 0xfeff: "ZERO WIDTH NO-BREAK SPACE", 0x202a: "LEFT-TO-RIGHT EMBEDDING", 0x202b: "RIGHT-TO-LEFT EMBEDDING", 0x202c: "POP DIRECTIONAL FORMATTING",
    0x202d: "LEFT-TO-RIGHT OVERRIDE", 0x202e: "RIGHT-TO-LEFT OVERRIDE", 0x2066: "LEFT-TO-RIGHT ISOLATE", 0x2067: "RIGHT-TO-LEFT ISOLATE", 0x2068: "FIRST STRONG ISOLATE", 0x2069: "POP DIRECTIONAL ISOLATE",
};
/**
 * The runs of hidden characters in a text, leaving out the joiners that emoji sequences and
 * Arabic or Indic spelling use.
 */
function hiddenCharacters(text) {
    const out = [];
    if (!ANY_HIDDEN.test(text))
        return out;
    for (const match of text.matchAll(HIDDEN)) {
        const start = match.index;
        const end = start + match[0].length;
        const codePoints = [...match[0]].map((c) => c.codePointAt(0));
        const before = text.slice(Math.max(0, start - 2), start);
        const after = text.slice(end, end + 2);
        const joinsEmoji = codePoints.every((c) => c === 0x200d || c === 0xfe0f) && PICTOGRAPH.test(before) && PICTOGRAPH.test(after);
        const joinsScript = codePoints.every((c) => c === 0x200c || c === 0x200d || c === 0x200e || c === 0x200f) && (JOINING_SCRIPTS.test(before) || JOINING_SCRIPTS.test(after));
        // A byte order mark at the very start is the file rule's business.
        const leadingBom = start === 0 && codePoints.length === 1 && codePoints[0] === 0xfeff;
        if (!joinsEmoji && !joinsScript && !leadingBom)
            out.push({ start, end, codePoints });
    }
    return out;
}
/** "2 invisible characters (U+200B ZERO WIDTH SPACE, U+202E RIGHT-TO-LEFT OVERRIDE)". */
function describeHidden(runs) {
    const all = runs.flatMap((r) => r.codePoints);
    const kinds = [...new Set(all)].slice(0, 3).map((c) => `U+${c.toString(16).toUpperCase().padStart(4, "0")} ${NAMES[c] ?? (c >= 0xe0100 ? "VARIATION SELECTOR" : c >= 0xe0000 ? "TAG CHARACTER" : "INVISIBLE FORMAT CHARACTER")}`);
    const more = new Set(all).size > 3 ? ", …" : "";
    return `${all.length === 1 ? "an invisible character" : `${all.length} invisible characters`} (${kinds.join(", ")}${more})`;
}
//# sourceMappingURL=hidden-characters.js.map
;// CONCATENATED MODULE: ./lib/src/rules/_shared/hidden-bytes.js

/**
 * The hidden characters of each Markdown file the scan read, by its parsed form: found in the
 * raw bytes when the file is read, since the text after the frontmatter is never decoded.
 */
const hiddenInMarkdown = new WeakMap();
/** The code point of a hidden character encoded at `i`, and its length in bytes; null for anything else. */
function hiddenAt(b, i) {
    const b0 = b[i];
    if (b0 === 0xe2) {
        const b1 = b[i + 1];
        const b2 = b[i + 2] ?? 0;
        // U+200B–U+200F, U+202A–U+202E; U+2060–U+2064, U+2066–U+2069.
        if (b1 === 0x80 && ((b2 >= 0x8b && b2 <= 0x8f) || (b2 >= 0xaa && b2 <= 0xae)))
            return { cp: 0x2000 + (b2 - 0x80), size: 3 };
        if (b1 === 0x81 && ((b2 >= 0xa0 && b2 <= 0xa4) || (b2 >= 0xa6 && b2 <= 0xa9)))
            return { cp: 0x2040 + (b2 - 0x80), size: 3 };
        return null;
    }
    // U+FEFF past the first byte: a byte order mark at the start is the file rule's business.
    if (b0 === 0xef)
        return i > 0 && b[i + 1] === 0xbb && b[i + 2] === 0xbf ? { cp: 0xfeff, size: 3 } : null;
    // Tag characters U+E0000–U+E007F: F3 A0 80 80 to F3 A0 81 BF.
    if (b0 === 0xf3 && b[i + 1] === 0xa0) {
        const b2 = b[i + 2] ?? 0;
        const b3 = b[i + 3] ?? 0;
        if ((b2 === 0x80 || b2 === 0x81) && b3 >= 0x80 && b3 <= 0xbf)
            return { cp: 0xe0000 + ((b2 - 0x80) << 6) + (b3 - 0x80), size: 4 };
    }
    return null;
}
/**
 * The first two bytes of every hidden character's encoding. Searching for pairs, not lead bytes,
 * passes over the dashes, quotes, arrows and box-drawing lines that share the lead byte 0xE2.
 */
const LEADS = [
    [0xe2, 0x80],
    [0xe2, 0x81],
    [0xef, 0xbb],
    [0xf3, 0xa0],
].map((pair) => Buffer.from(pair));
/**
 * The hidden characters of a UTF-8 file, in runs, with 1-based lines and UTF-16 columns as the
 * decoded text would give them. Only the bytes that can start one are looked at (by `indexOf`,
 * which runs natively), so a file without them costs four searches; the joiners that emoji and
 * Arabic or Indic spelling use are left out, judged on the text around each run.
 */
function hiddenBytes(bytes) {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    const next = LEADS.map((lead) => buffer.indexOf(lead));
    const out = [];
    let line = 1;
    let lineStart = 0;
    let counted = 0;
    for (;;) {
        let at = -1;
        for (const n of next)
            if (n !== -1 && (at === -1 || n < at))
                at = n;
        if (at === -1)
            return out;
        let end = at;
        const codePoints = [];
        for (let hit = hiddenAt(buffer, end); hit; hit = hiddenAt(buffer, end)) {
            codePoints.push(hit.cp);
            end += hit.size;
        }
        if (codePoints.length > 0 && keeps(buffer, at, end)) {
            for (let nl = buffer.indexOf(0x0a, counted); nl !== -1 && nl < at; nl = buffer.indexOf(0x0a, nl + 1)) {
                line++;
                lineStart = nl + 1;
            }
            counted = at;
            const column = buffer.toString("utf8", lineStart, at).length + 1;
            const width = codePoints.reduce((n, cp) => n + (cp > 0xffff ? 2 : 1), 0);
            out.push({ span: { line, column, endLine: line, endColumn: column + width }, codePoints });
        }
        const from = Math.max(end, at + 1);
        for (let i = 0; i < next.length; i++)
            if (next[i] !== -1 && next[i] < from)
                next[i] = buffer.indexOf(LEADS[i], from);
    }
}
/** Whether a run is hidden in its context: hiddenCharacters judges the text a few characters either side. */
function keeps(buffer, start, end) {
    let from = Math.max(0, start - 12);
    while (from < start && (buffer[from] & 0xc0) === 0x80)
        from++;
    let to = Math.min(buffer.length, end + 12);
    while (to > end && to < buffer.length && (buffer[to] & 0xc0) === 0x80)
        to--;
    // The space keeps a byte order mark at the window's start from reading as the file's own.
    const before = ` ${buffer.toString("utf8", from, start)}`;
    const text = before + buffer.toString("utf8", start, to);
    return hiddenCharacters(text).some((run) => run.start <= before.length && run.end > before.length);
}
//# sourceMappingURL=hidden-bytes.js.map
;// CONCATENATED MODULE: ./lib/src/parse/decode-file.js


function formatOf(path) {
    return path.endsWith(".json") ? "json" : /\.(c|m)?(j|t)sx?$/.test(path) ? "script" : "markdown";
}
/**
 * Decodes a file for its parser. Markdown is read for its frontmatter alone: the text after it
 * is checked but not decoded, and hidden characters are found in the bytes, after the
 * frontmatter too. Plain data, so the thread that read the file can decode it too.
 */
function decodeFile(path, bytes) {
    const format = formatOf(path);
    const decoded = format === "markdown" ? decodeFrontmatterText(bytes) : decodeText(bytes);
    const hidden = format === "markdown" && decoded.text !== null ? hiddenBytes(bytes) : [];
    return { format, decoded, hidden, size: bytes.length };
}
//# sourceMappingURL=decode-file.js.map
;// CONCATENATED MODULE: ./lib/src/source/types.js

/** A read decoded for its parser; a failure stays as it was. */
function decodeRead(path, read) {
    return read.ok ? { ok: true, file: decodeFile(path, read.bytes) } : read;
}
/** Folders no walk ever enters. */
const types_NEVER_WALKED = new Set([".git", "node_modules"]);
//# sourceMappingURL=types.js.map
;// CONCATENATED MODULE: ./lib/src/source/disk.js




/** Deeper than this, a tree is almost certainly a link maze rather than a repository. */
const MAX_DEPTH = 64;
/**
 * Every file below `root`, sorted, `.git` and `node_modules` left out, links followed only inside
 * the root. Synchronous file system calls on purpose: for thousands of small folders they beat the
 * thread pool.
 */
function listTree(root) {
    const files = [];
    const outside = new Set();
    const rawPaths = new Map();
    const warnings = [];
    const ancestors = new Set();
    const followLink = (child, childRel, depth) => {
        let stats;
        let targetReal;
        try {
            stats = statSync(child);
            targetReal = realpathSync.native(child);
        }
        catch {
            // A dangling link is listed: reading it later gives the artifact a clear io_error.
            files.push(childRel);
            if (typeof child !== "string")
                rawPaths.set(childRel, child);
            return;
        }
        // A pull request can add a link to any file on the runner; what it points at must not
        // reach a finding, a log or a check run.
        const inside = isWithinFolder(targetReal, rootReal);
        if (stats.isDirectory()) {
            if (inside)
                walk(child, targetReal, childRel, depth + 1);
            else
                warnings.push(`${escapeControls(childRel)}: a symlink to a folder outside the repository, not followed`);
        }
        else if (stats.isFile()) {
            files.push(childRel);
            if (typeof child !== "string")
                rawPaths.set(childRel, child);
            if (!inside)
                outside.add(childRel);
        }
    };
    // Real paths of the folders being walked: a link back to one of them is a loop. A plain
    // folder's real path is its parent's plus its name, so only links cost a system call.
    // A folder reached through a name that is not valid UTF-8 is walked by its bytes.
    const walk = (dir, real, rel, depth) => {
        if (ancestors.has(real)) {
            warnings.push(`${escapeControls(rel)}: symlink loop, not followed`);
            return;
        }
        if (depth > MAX_DEPTH) {
            warnings.push(`${escapeControls(rel)}: nested deeper than ${MAX_DEPTH} folders, not walked`);
            return;
        }
        let entries;
        let rawEntries = [];
        try {
            entries = typeof dir === "string" ? plainEntries(dir) : null;
            if (entries === null)
                rawEntries = entriesByBytes(dir);
        }
        catch (error) {
            warnings.push(`${escapeControls(rel) || "."}: cannot be read (${describeFsError(error)})`);
            return;
        }
        ancestors.add(real);
        const prefix = rel ? `${rel}/` : "";
        // Most folders hold only names that are valid UTF-8: their entries are walked as they come.
        if (entries !== null) {
            for (const entry of entries) {
                const name = entry.name;
                if (NEVER_WALKED.has(name))
                    continue;
                if (entry.isDirectory())
                    walk(childPath(dir, name), childPath(real, name), prefix + name, depth + 1);
                else if (entry.isFile())
                    files.push(prefix + name);
                else if (entry.isSymbolicLink())
                    followLink(childPath(dir, name), prefix + name, depth);
            }
            ancestors.delete(real);
            return;
        }
        const listed = new Set();
        for (const { name, raw, entry } of rawEntries) {
            if (NEVER_WALKED.has(name))
                continue;
            const childRel = prefix + name;
            let child;
            if (raw === null && typeof dir === "string") {
                child = childPath(dir, name);
            }
            else {
                child = Buffer.concat([typeof dir === "string" ? Buffer.from(dir) : dir, SEP, raw ?? Buffer.from(name)]);
                if (raw !== null) {
                    if (listed.has(name)) {
                        warnings.push(`${escapeControls(prefix)}${describeRawName(raw)}: the name is not valid UTF-8 and reads the same as another name in its folder; not listed`);
                        continue;
                    }
                    warnings.push(`${escapeControls(prefix)}${describeRawName(raw)}: the name is not valid UTF-8; listed as ${escapeControls(childRel)}`);
                }
            }
            listed.add(name);
            if (entry.isDirectory()) {
                walk(child, childPath(real, name), childRel, depth + 1);
            }
            else if (entry.isFile()) {
                files.push(childRel);
                if (typeof child !== "string")
                    rawPaths.set(childRel, child);
            }
            else if (entry.isSymbolicLink()) {
                followLink(child, childRel, depth);
            }
        }
        ancestors.delete(real);
    };
    let rootReal;
    try {
        rootReal = realpathSync.native(root);
    }
    catch (error) {
        throw new Error(`${root} cannot be read (${describeFsError(error)})`, { cause: error });
    }
    walk(normalize(root), rootReal, "", 0);
    files.sort(comparePaths);
    return { files, warnings, outside, rawPaths };
}
/** Most files a scan reads are a few kilobytes: one read of this size takes them whole, with no `fstat`. */
const FIRST_READ = 64 * 1024;
let scratch = null;
/** The bytes of a file on disk, refusing anything larger than `maxBytes` after reading at most its first 64 KiB. */
function readFromDisk(path, maxBytes) {
    const read = readFromDiskTransient(path, maxBytes);
    return read.ok && read.bytes.buffer === scratch?.buffer ? { ok: true, bytes: Buffer.from(read.bytes) } : read;
}
/**
 * `readFromDisk` for a caller done with the bytes before its next read: a small file's bytes are
 * a view of a buffer that the next read reuses.
 */
function readFromDiskTransient(path, maxBytes) {
    let fd;
    try {
        fd = (0,external_node_fs_namespaceObject.openSync)(path, "r");
        scratch ??= Buffer.allocUnsafeSlow(FIRST_READ);
        const first = (0,external_node_fs_namespaceObject.readSync)(fd, scratch, 0, FIRST_READ, 0);
        // A regular file that gives less than was asked for has ended.
        if (first < FIRST_READ)
            return first > maxBytes ? { ok: false, code: "too_large", size: first } : { ok: true, bytes: scratch.subarray(0, first) };
        const size = (0,external_node_fs_namespaceObject.fstatSync)(fd).size;
        if (size > maxBytes)
            return { ok: false, code: "too_large", size };
        const bytes = Buffer.allocUnsafe(Math.max(size, FIRST_READ));
        scratch.copy(bytes, 0, 0, FIRST_READ);
        let read = FIRST_READ;
        while (read < bytes.length) {
            const n = (0,external_node_fs_namespaceObject.readSync)(fd, bytes, read, bytes.length - read, read);
            if (n === 0)
                break;
            read += n;
        }
        return { ok: true, bytes: bytes.subarray(0, read) };
    }
    catch (error) {
        return { ok: false, code: "io_error", message: describeFsError(error), missing: error.code === "ENOENT" };
    }
    finally {
        if (fd !== undefined)
            (0,external_node_fs_namespaceObject.closeSync)(fd);
    }
}
const SEP = Buffer.from(external_node_path_namespaceObject.sep);
/**
 * `join` for a normalised folder and a name read from it, or a path listed below it, which never
 * holds `.` or `..`: the same path without normalising it again, a fifth of the listing's time.
 */
function childPath(dir, name) {
    return dir.endsWith(sep) ? `${dir}${name}` : `${dir}${sep}${name}`;
}
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const lossyUtf8 = new TextDecoder("utf-8");
/**
 * A folder's entries, or null when a name holds U+FFFD: Node decodes names as UTF-8 and puts
 * U+FFFD for bytes that are not, so such a folder is read again by its bytes.
 */
function plainEntries(dir) {
    const entries = readdirSync(dir, { withFileTypes: true });
    return entries.some((entry) => entry.name.includes("\ufffd")) ? null : entries;
}
/**
 * A folder's entries by their bytes, each with the name it is listed under: a name that is not
 * valid UTF-8 keeps them (`raw`) to be reached by, and is listed lossily.
 */
function entriesByBytes(dir) {
    return readdirSync(dir, { withFileTypes: true, encoding: "buffer" }).map((entry) => {
        try {
            return { name: strictUtf8.decode(entry.name), raw: null, entry };
        }
        catch {
            return { name: lossyUtf8.decode(entry.name), raw: entry.name, entry };
        }
    });
}
/** A name that is not valid UTF-8, shown with its valid parts as text and every other byte as `\xNN`. */
function describeRawName(raw) {
    let out = "";
    for (let i = 0; i < raw.length;) {
        const lead = raw[i];
        const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf5 ? 4 : 0;
        let text = null;
        if (length > 0 && i + length <= raw.length) {
            try {
                text = strictUtf8.decode(raw.subarray(i, i + length));
            }
            catch {
                text = null;
            }
        }
        if (text === null) {
            out += `\\x${lead.toString(16).padStart(2, "0")}`;
            i++;
        }
        else {
            out += escapeControls(text);
            i += length;
        }
    }
    return out;
}
/** Whether a real path is a folder or lies below it. */
function isWithinFolder(path, folder) {
    return path === folder || path.startsWith(folder.endsWith(sep) ? folder : `${folder}${sep}`);
}
/** Plain code-unit order, so that every source sorts alike whatever the locale. */
function comparePaths(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
function describeFsError(error) {
    const code = error?.code;
    switch (code) {
        case "ENOENT":
            return "no such file (a dangling symlink?)";
        case "EACCES":
        case "EPERM":
            return "permission denied";
        case "ELOOP":
            return "symlink loop";
        case "EISDIR":
            return "is a folder";
        default:
            return code ?? (error instanceof Error ? error.message : String(error));
    }
}
//# sourceMappingURL=disk.js.map
;// CONCATENATED MODULE: ./lib/src/source/read-thread.js
/**
 * The second thread of a workspace scan: reads and decodes the files it is asked for, in order,
 * and sends them back in batches as plain data, only what their parsers take (a Markdown file's
 * frontmatter, not its body). Started by ReadAhead (read-ahead.ts).
 */



/** A batch goes back at this many files, so the first files arrive while the rest are read. */
const BATCH_FILES = 32;
const port = external_node_worker_threads_namespaceObject.parentPort;
if (port) {
    port.on("message", (message) => {
        // Closing its end leaves the thread nothing to wait for: it exits by itself.
        if (message === "close")
            return port.close();
        const { paths, targets, maxBytes } = message;
        let batch = [];
        paths.forEach((path, i) => {
            const target = targets[i];
            batch.push(decodeRead(path, readFromDiskTransient(typeof target === "string" ? target : Buffer.from(target), maxBytes)));
            if (batch.length >= BATCH_FILES) {
                port.postMessage(batch);
                batch = [];
            }
        });
        if (batch.length > 0)
            port.postMessage(batch);
    });
}
//# sourceMappingURL=read-thread.js.map

import { basename } from "../discover/paths.js";
import { shellCommands, type CommandWord } from "../parse/shell.js";

/**
 * What a hook's shell command does that a reviewer wants to know before an agent runs it on every
 * session: which programs it starts, whether it reaches the network or installs packages, and
 * what it writes outside the project. Read from the text alone; nothing is run.
 */
export interface CommandEffects {
  /** The programs of its simple commands, by name, in order of first use. */
  executables: string[];
  /** It runs a program that downloads or talks to a host (`curl`, `git clone`, `npx`, a package install). */
  network: boolean;
  /** The package-manager installs it runs, as written (`npm install`, `pip install requests`). */
  packageInstalls: string[];
  /** Paths outside the project it writes to (`~/.bashrc`, `/etc/hosts`); `/tmp` and `/dev/*` are left out. */
  writesOutsideProject: string[];
  /** A download piped or substituted into a shell or interpreter, as written. */
  downloadToShell: string | null;
  /** `sudo` or `doas` runs something. */
  sudo: boolean;
  /** A world-writable `chmod`, as written. */
  worldWritable: string | null;
  /** Shell start-up files it writes to. */
  startupFiles: string[];
  /** Loader variables it sets (`LD_PRELOAD`, `DYLD_INSERT_LIBRARIES`). */
  preloadVariables: string[];
}

/** Words before a command's program that are not the program. */
const PREFIXES = new Set(["if", "then", "else", "elif", "do", "while", "until", "!", "{", "}", "time", "exec", "env", "command", "nohup", "sudo", "doas", "xargs", "fi", "done"]);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const NETWORK_PROGRAMS = new Set(["curl", "wget", "nc", "ncat", "ssh", "scp", "rsync", "ftp", "sftp", "telnet", "http", "https", "aria2c", "npx", "bunx", "pnpx", "uvx", "pipx"]);
const GIT_NETWORK = new Set(["clone", "fetch", "pull", "push", "ls-remote", "submodule"]);
/** Package managers and the subcommands that install. */
const INSTALLERS: Record<string, ReadonlySet<string>> = {
  npm: new Set(["install", "i", "ci", "add", "update", "exec"]),
  pnpm: new Set(["install", "i", "add", "update", "dlx"]),
  yarn: new Set(["install", "add", "dlx"]),
  bun: new Set(["install", "i", "add"]),
  pip: new Set(["install"]),
  pip3: new Set(["install"]),
  pipx: new Set(["install", "run"]),
  uv: new Set(["add", "sync", "pip"]),
  poetry: new Set(["install", "add"]),
  gem: new Set(["install"]),
  cargo: new Set(["install"]),
  go: new Set(["install", "get"]),
  brew: new Set(["install", "upgrade"]),
  apt: new Set(["install"]),
  "apt-get": new Set(["install"]),
  dnf: new Set(["install"]),
  yum: new Set(["install"]),
  apk: new Set(["add"]),
  pacman: new Set(["-S", "-Sy", "-Syu"]),
  composer: new Set(["install", "require"]),
};
const DOWNLOAD_TO_SHELL = [
  /\b(?:curl|wget|iwr|irm|Invoke-WebRequest|Invoke-RestMethod)\b[^|;&\n]*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:env\s+)?(?:\/\S*\/)?(?:sh|bash|zsh|dash|ksh|fish|python\d*(?:\.\d+)?|perl|ruby|node|iex|Invoke-Expression)\b/,
  /\b(?:sh|bash|zsh|dash|ksh)\s+(?:-\S+\s+)*["']?(?:-c\s+)?["']?\$\(\s*(?:curl|wget)\b[^)]*\)/,
  /(?:^|[\s;&|])(?:sh|bash|zsh|source|\.)\s+<\(\s*(?:curl|wget)\b[^)]*\)/,
  /\beval\s+["']?\$\(\s*(?:curl|wget)\b[^)]*\)/,
];
const WORLD_WRITABLE = /\bchmod\s+(?:-[A-Za-z]+\s+)*(?:0?777|a\+rwx|ugo\+rwx|o\+w|a\+w)\b/;
const STARTUP_FILE = /(?:^|\/)(?:\.bashrc|\.bash_profile|\.bash_login|\.profile|\.zshrc|\.zshenv|\.zprofile|\.zlogin|\.kshrc|\.cshrc|\.tcshrc|config\.fish|bash\.bashrc|zshrc|zshenv)$|^\/etc\/profile(?:\.d\/.*)?$/;
const PRELOAD = /(?:^|[\s;&|({])(?:export\s+|setenv\s+|launchctl\s+setenv\s+)?(LD_PRELOAD|LD_AUDIT|LD_LIBRARY_PATH|DYLD_[A-Z_]+)(?:=|\s+\S)/g;
/** Redirections and the word they write to (`>`, `>>`, `&>`, `1>>`). */
const REDIRECT = /(?:^|[^<>&\d])\d?&?>>?\|?\s*("[^"]*"|'[^']*'|[^\s;&|<>()]+)/g;
/** Programs whose last argument (or named argument) is where they write. */
const WRITERS = new Set(["tee", "cp", "mv", "install", "ln", "rsync", "dd", "touch", "mkdir", "sed"]);

/** The effects of a shell command line, as a hook's `command` holds it. */
export function commandEffects(text: string): CommandEffects {
  const commands = expand(shellCommands(text));
  const executables: string[] = [];
  const packageInstalls: string[] = [];
  const writes: string[] = [];
  let network = false;
  let sudo = false;
  for (const words of commands) {
    let i = 0;
    for (; i < words.length; i++) {
      const w = (words[i] as CommandWord).text;
      if (w === "sudo" || w === "doas") sudo = true;
      if (!PREFIXES.has(w) && !ASSIGNMENT.test(w) && !(w.startsWith("-") && i > 0 && PREFIXES.has((words[i - 1] as CommandWord).text))) break;
    }
    const program = words[i];
    if (!program) continue;
    const name = basename(program.text);
    const args = words.slice(i + 1).map((w) => w.text);
    if (!executables.includes(name)) executables.push(name);
    if (NETWORK_PROGRAMS.has(name) || (name === "git" && GIT_NETWORK.has(args[0] ?? ""))) network = true;
    const installing = INSTALLERS[name];
    const sub = args.find((a) => !a.startsWith("-") || name === "pacman");
    if (installing && sub !== undefined && installing.has(sub)) {
      network = true;
      packageInstalls.push([name, ...args].join(" "));
    }
    if (WRITERS.has(name)) writes.push(...writeTargets(name, args));
  }
  for (const match of text.matchAll(REDIRECT)) writes.push(unquote(match[1] as string));
  const outside = unique(writes.filter(isOutsideProject));
  const download = DOWNLOAD_TO_SHELL.map((pattern) => pattern.exec(text)).find((m) => m !== null);
  // A download inside `$(...)` is no simple command of its own, so the text is searched as well.
  network ||= download !== undefined || /\b(?:curl|wget|iwr|irm|Invoke-WebRequest)\b/.test(text);
  return {
    executables,
    network,
    packageInstalls,
    writesOutsideProject: outside,
    downloadToShell: download ? download[0].trim() : null,
    sudo,
    worldWritable: WORLD_WRITABLE.exec(text)?.[0] ?? null,
    startupFiles: outside.filter((path) => STARTUP_FILE.test(path.replace(/^(?:~|\$\{?HOME\}?|\$\{?ZDOTDIR\}?)/, ""))),
    preloadVariables: unique([...text.matchAll(PRELOAD)].map((m) => m[1] as string)),
  };
}

/** The commands of a line, with the command lines that `sh -c "..."` runs read as well. */
function expand(commands: CommandWord[][]): CommandWord[][] {
  const out: CommandWord[][] = [];
  for (const words of commands) {
    out.push(words);
    const shell = words.findIndex((w) => /^(?:sh|bash|zsh|dash|ksh)$/.test(basename(w.text)));
    const flag = shell === -1 ? -1 : words.findIndex((w, i) => i > shell && /^-[a-z]*c[a-z]*$/.test(w.text));
    const inner = flag === -1 ? undefined : words[flag + 1];
    if (inner) out.push(...expand(shellCommands(inner.text)));
  }
  return out;
}

function writeTargets(name: string, args: string[]): string[] {
  const operands = args.filter((a) => !a.startsWith("-"));
  if (name === "tee" || name === "touch" || name === "mkdir") return operands;
  if (name === "dd") return operands.filter((a) => a.startsWith("of=")).map((a) => a.slice(3));
  if (name === "sed") return args.some((a) => /^-[a-zA-Z]*i/.test(a) || a.startsWith("--in-place")) ? operands.slice(1) : [];
  return operands.length >= 2 ? [operands[operands.length - 1] as string] : [];
}

/** Whether a path a command writes to lies outside the project and its plugin: the home folder or an absolute path. */
function isOutsideProject(path: string): boolean {
  if (/^\$\{?(?:CLAUDE_PROJECT_DIR|CLAUDE_PLUGIN_ROOT|CLAUDE_PLUGIN_DATA|TMPDIR|PWD)\}?/.test(path)) return false;
  if (/^~|^\$\{?(?:HOME|ZDOTDIR|XDG_CONFIG_HOME)\}?(?:\/|$)/.test(path)) return true;
  if (!path.startsWith("/")) return false;
  return !/^\/(?:tmp|var\/tmp|dev|proc)(?:\/|$)/.test(path);
}

function unquote(word: string): string {
  return /^(["']).*\1$/.test(word) ? word.slice(1, -1) : word;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

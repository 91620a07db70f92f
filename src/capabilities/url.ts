/** The host a URL names, lower-cased, without brackets or port; null when it names none (a `${VAR}` host, say). */
export function urlHost(url: string): string | null {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(url);
  const host = match?.[1]?.toLowerCase() ?? "";
  if (host === "" || host.includes("$")) return null;
  return host.replace(/^\[|\]$/g, "");
}

/** Whether a host is the machine itself. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host.endsWith(".localhost") || /^127(?:\.\d{1,3}){3}$/.test(host) || host === "::1" || host === "0.0.0.0";
}

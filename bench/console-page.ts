import { percentiles } from "./measure.js";

const CONSOLE = "/_localtrail/console";

/** The value of a cookie among a response's Set-Cookie headers. */
function cookieOf(res: Response, name: string): string {
  const found = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  if (!found) throw new Error(`no ${name} cookie (status ${res.status})`);
  return found.slice(name.length + 1).split(";")[0]!;
}

/** Signs in to the console as the root user, as the sign-in form does; returns the Cookie header of the session. */
export async function rootConsoleSession(url: string, account = "000000000000", password = "test"): Promise<string> {
  const form = await fetch(`${url}${CONSOLE}/signin`);
  const signin = cookieOf(form, "localtrail-signin");
  const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  if (!csrf) throw new Error("no CSRF token on the sign-in page");
  const res = await fetch(`${url}${CONSOLE}/signin`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: `localtrail-signin=${signin}` },
    body: new URLSearchParams({ csrf, kind: "root", account, password, redirect: "" }).toString(),
  });
  return `localtrail-console=${cookieOf(res, "localtrail-console")}`;
}

/** Loads a console page `count` times one after the other (after a warm-up): latency percentiles of the whole page. */
export async function pageLatency(url: string, cookie: string, path: string, count: number): Promise<{ p50Ms: number; p99Ms: number; bytes: number }> {
  const load = async () => {
    const res = await fetch(`${url}${CONSOLE}/${path}`, { headers: { cookie } });
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    return (await res.arrayBuffer()).byteLength;
  };
  for (let i = 0; i < 20; i++) await load();
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    bytes = await load();
    samples.push(performance.now() - start);
  }
  return { ...percentiles(samples), bytes };
}

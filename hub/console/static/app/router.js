// Hash routes (#/antrian, #/kasus/<id>, …): the hub serves one page, the app picks the screen.

import { useEffect, useState } from "preact/hooks";

export function parse(hash) {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  return { screen: parts[0] || "", arg: parts[1] || null };
}

export function useRoute() {
  const [route, setRoute] = useState(parse(location.hash));
  useEffect(() => {
    const on = () => setRoute(parse(location.hash));
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, []);
  return route;
}

export function go(screen, arg) {
  location.hash = arg ? `#/${screen}/${encodeURIComponent(arg)}` : `#/${screen}`;
}

export function href(screen, arg) {
  return arg ? `#/${screen}/${encodeURIComponent(arg)}` : `#/${screen}`;
}

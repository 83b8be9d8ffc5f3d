// oidc-client-ts is loaded only when an external identity provider is configured: the demo
// and the field apps never download it.

let loading = null;

export function loadOidc() {
  if (window.oidc) return Promise.resolve(window.oidc);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = "./vendor/oidc-client-ts/oidc-client-ts.min.js";
      script.onload = () => resolve(window.oidc);
      script.onerror = () => reject(new Error("oidc-client-ts did not load"));
      document.head.append(script);
    });
  }
  return loading;
}

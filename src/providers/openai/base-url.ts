/** An OpenAI-compatible server's base URL must be an http(s) URL; the message names the provider. */
export function checkBaseURL(provider: string, baseURL: string): void {
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    throw new Error(`provider ${provider}: base URL "${baseURL}" is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new Error(`provider ${provider}: base URL "${baseURL}" must be http(s)`);
}

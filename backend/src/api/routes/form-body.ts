/** An application/x-www-form-urlencoded body as the Prometheus API reads it: repeated names become lists. */
export function parseFormBody(body: string): Record<string, string | string[]> {
  const parameters: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const previous = parameters[name];
    parameters[name] = previous === undefined ? value : [previous, value].flat();
  }
  return parameters;
}

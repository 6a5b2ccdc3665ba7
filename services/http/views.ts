/** What the UI and the API may see of the HTTP boot service (Node-free). */

/** What the running HTTP service reports through the supervisor. */
export interface HttpReport {
  /** The base URL clients use ("http://10.77.0.1" or "http://10.77.0.1:8080" after a port fallback). */
  httpBase: string;
  /** The folder it serves. */
  bootRoot: string;
  /** How many path patterns need a password (config http.auth). */
  protectedPaths: number;
}

/**
 * How a client reaches the control API (Node-free; services/api/contract.ts re-exports these, the renderer
 * imports them from here). The token goes in the TOKEN_HEADER header on HTTP routes (nowhere else); on the
 * WebSocket (browsers cannot set its headers) as a subprotocol: offer [EVENTS_PROTOCOL,
 * TOKEN_PROTOCOL_PREFIX + token], the server selects EVENTS_PROTOCOL. Never in a URL.
 */
export const TOKEN_HEADER = 'x-bootlab-token';
export const EVENTS_PROTOCOL = 'bootlab.events.v1';
export const TOKEN_PROTOCOL_PREFIX = 'bootlab.token.';
export const EVENTS_PATH = '/api/events';

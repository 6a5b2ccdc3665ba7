import { createEventStore } from '../../api/event-store';
import { applyClientEvent, emptyClients, type ClientsState } from './clients-model.js';

/** The client table, gathered from app start so it is complete whichever page was open. */
export const clientsStore = createEventStore<ClientsState>(emptyClients, applyClientEvent);

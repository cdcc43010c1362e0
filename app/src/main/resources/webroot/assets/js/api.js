// The node's HTTP API as the page uses it. The page is served by the node it talks to, so every
// path is relative to the page's own origin. Every call says who calls (session.js).

import { authorization, signInAgain } from './session.js';

/** How many orders the page shows: the ones changed last. */
export const ORDERS_SHOWN = 50;

/** GET /orders: the orders changed last, newest first. */
export async function recentOrders() {
  const body = await getJson(`/orders?limit=${ORDERS_SHOWN}`);
  return body.items;
}

/** GET /orders/{id}/events: the order's whole history, in order. */
export async function eventsOf(orderId) {
  const body = await getJson(`/orders/${encodeURIComponent(orderId)}/events`);
  return body.events;
}

/** GET /dead-letters, counted; the API lists at most DEAD_LETTERS_COUNTED of them. */
export const DEAD_LETTERS_COUNTED = 1000;

export async function deadLetterCount() {
  const body = await getJson(`/dead-letters?limit=${DEAD_LETTERS_COUNTED}`);
  return body.items.length;
}

/** POST /orders: the status and the JSON body of the answer, whatever the status. */
export async function placeOrder(order) {
  const response = await call('/orders', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(order),
  });
  const body = await response.json().catch(() => ({}));
  return { status: response.status, body };
}

async function getJson(path) {
  // no-store: a catch-up must see the node's state now, not a cached answer
  const response = await call(path, { headers: { Accept: 'application/json' }, cache: 'no-store' });
  if (!response.ok) {
    throw new Error(`GET ${path} answered ${response.status}`);
  }
  return response.json();
}

/** GET /admin/status: the last reading of backlog and lag gauges. */
export async function operationsStatus() {
  return getJson('/admin/status');
}

/** GET /dead-letters: the dead letters, oldest first, at most DEAD_LETTERS_COUNTED. */
export async function deadLetters() {
  const body = await getJson(`/dead-letters?limit=${DEAD_LETTERS_COUNTED}`);
  return body.items;
}

/** POST /dead-letters/{id}/replay, or DELETE /dead-letters/{id}: the status and JSON body of the answer. */
export async function actOnDeadLetter(id, action) {
  const path = `/dead-letters/${encodeURIComponent(id)}` + (action === 'replay' ? '/replay' : '');
  const response = await call(path, { method: action === 'replay' ? 'POST' : 'DELETE', headers: { Accept: 'application/json' } });
  const body = response.status === 204 ? {} : await response.json().catch(() => ({}));
  return { status: response.status, body };
}

/** fetch, with the caller's token; a 401 means the token expired or was revoked: sign in again. */
async function call(path, options) {
  const response = await fetch(path, { ...options, headers: { ...options.headers, ...authorization() } });
  if (response.status === 401) {
    signInAgain();
  }
  return response;
}

// The page's line to the node's event bus, through the SockJS bridge at /eventbus (outbound only:
// the page listens, it never sends). Uses the official vertx-eventbus.js client, loaded before this
// module as the global EventBus.

import { token } from './session.js';

/**
 * Connects, and keeps connecting: when the bridge drops, the client tries again by itself (with
 * backoff) for as long as the page is open.
 *
 * @param listeners   address → function(body), for every message told on that address
 * @param onConnected called on every (re)connect, once the listeners are registered
 * @param onDropped   called whenever the connection is lost, or a (re)connect attempt fails
 */
export function connectToBus({ listeners, onConnected, onDropped }) {
  // a browser cannot put headers on a WebSocket: the token travels as a query parameter, which
  // SockJS carries to every URL it derives from this one
  const url = new URL('/eventbus', window.location.href);
  if (token()) {
    url.searchParams.set('token', token());
  }
  const bus = new window.EventBus(url.href);
  bus.enableReconnect(true);
  bus.onopen = () => {
    // the client forgets its handlers with the socket it lost: register them again on every connect
    for (const [address, listener] of Object.entries(listeners)) {
      bus.registerHandler(address, (error, message) => {
        if (error) {
          console.warn(`the bridge refused to tell ${address}`, error);
        } else {
          listener(message.body);
        }
      });
    }
    onConnected();
  };
  bus.onclose = () => onDropped();
  return bus;
}

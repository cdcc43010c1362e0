// The events of one order, shown as a list: type, source and time of each. Events come from two
// places that overlap (the history over HTTP and the live feed), so they are kept by id: an event
// heard twice is shown once.

import { timeOf } from './format.js';

export class Timeline {
  #list;
  #events = new Map(); // id → envelope
  #following = false;

  constructor(list) {
    this.#list = list;
  }

  /** Whether live events are added: from the moment the history is asked for, not to miss any in between. */
  get following() {
    return this.#following;
  }

  follow() {
    this.#following = true;
  }

  /** Forgets everything: the history is read again when the order is next opened. */
  unfollow() {
    this.#following = false;
    this.#events.clear();
    this.#render();
  }

  add(envelopes) {
    let added = false;
    for (const envelope of envelopes) {
      if (!this.#events.has(envelope.id)) {
        this.#events.set(envelope.id, envelope);
        added = true;
      }
    }
    if (added) {
      this.#render();
    }
  }

  #render() {
    // by time; events of the same millisecond keep the order they were learnt in (sort is stable)
    const events = [...this.#events.values()].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
    this.#list.replaceChildren(...events.map(eventItem));
  }
}

function eventItem(envelope) {
  const item = document.createElement('li');
  item.className = 'event';
  item.dataset.eventId = envelope.id;
  item.append(
    span('event-type', envelope.type),
    span('event-source', envelope.source),
    timeOf(envelope.time),
  );
  return item;
}

function span(className, text) {
  const element = document.createElement('span');
  element.className = className;
  element.textContent = text;
  return element;
}

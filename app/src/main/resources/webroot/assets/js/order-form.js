// The form that places an order of one line: POST /orders, then the API's answer shown under it
// (the order accepted, or what is wrong with the request, field by field).

import { placeOrder } from './api.js';

export class OrderForm {
  #form;
  #result;
  #onAccepted;

  /** @param onAccepted called with the API's 202 body, {orderId, status} */
  constructor(form, result, onAccepted) {
    this.#form = form;
    this.#result = result;
    this.#onAccepted = onAccepted;
    form.addEventListener('submit', event => {
      event.preventDefault();
      this.#submit();
    });
  }

  async #submit() {
    const button = this.#form.querySelector('button[type=submit]');
    button.disabled = true; // one order per click, however impatient the click
    this.#markInvalid([]);
    try {
      const { status, body } = await placeOrder(orderFrom(this.#form));
      if (status === 202) {
        this.#showAccepted(body);
        this.#onAccepted(body);
      } else {
        this.#showRefused(status, body);
      }
    } catch (error) {
      this.#show('error', `The node could not be reached (${error.message}).`);
    } finally {
      button.disabled = false;
    }
  }

  #showAccepted(body) {
    const message = this.#show('accepted', 'Order ');
    const id = document.createElement('code');
    id.textContent = body.orderId;
    message.append(id, ` accepted (202): ${body.status}.`);
    this.#result.dataset.orderId = body.orderId;
  }

  #showRefused(status, body) {
    this.#show('error', `${body.error ?? 'The order was refused.'} (${status})`);
    const details = body.details ?? [];
    if (details.length > 0) {
      const list = document.createElement('ul');
      list.className = 'problems';
      list.append(...details.map(({ field, problem }) => {
        const item = document.createElement('li');
        item.textContent = `${field} ${problem}`;
        return item;
      }));
      this.#result.append(list);
    }
    this.#markInvalid(details);
  }

  /** Replaces what the result area says; the paragraph said, to add to. */
  #show(outcome, text) {
    const message = document.createElement('p');
    message.textContent = text;
    this.#result.dataset.outcome = outcome;
    delete this.#result.dataset.orderId;
    this.#result.replaceChildren(message);
    return message;
  }

  // a problem's field is a path such as items[0].quantity: its last name is the input's
  #markInvalid(details) {
    const invalid = new Set(details.map(({ field }) => /(\w+)$/.exec(field ?? '')?.[1]));
    for (const input of this.#form.querySelectorAll('input')) {
      input.setAttribute('aria-invalid', String(invalid.has(input.name)));
    }
  }
}

function orderFrom(form) {
  const value = name => form.elements[name].value.trim();
  return {
    customerId: textOrNothing(value('customerId')),
    items: [{
      productId: textOrNothing(value('productId')),
      quantity: numberOrText(value('quantity')),
      unitPrice: numberOrText(value('unitPrice')),
    }],
  };
}

// An empty field is left out and a number sent as a number; anything else goes as typed, so that
// the API, not the page, says what is wrong with it.
function textOrNothing(text) {
  return text === '' ? undefined : text;
}

function numberOrText(text) {
  if (text === '') {
    return undefined;
  }
  const number = Number(text);
  return Number.isFinite(number) ? number : text;
}

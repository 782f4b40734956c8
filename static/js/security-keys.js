// Security keys (WebAuthn): add one, or sign in with one. The server sends
// the options as JSON; the browser's own JSON helpers turn them into what
// navigator.credentials needs and its answer back into JSON.
(function () {
  "use strict";

  function csrfToken(element) {
    const form = element.closest("form");
    return form ? form.querySelector("input[name=csrfmiddlewaretoken]").value : "";
  }

  async function post(url, token, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body || {}),
    });
    const data = await response.json();
    if (!response.ok) {
      throw new Error(data.error || "");
    }
    return data;
  }

  // What the page says, in its language, is kept on the status element:
  // data-touch, data-unsupported, data-no-answer, data-added. The server's
  // reasons come translated.
  function status(button) {
    return document.getElementById(button.dataset.status);
  }

  function words(button, name) {
    const element = status(button);
    return (element && element.dataset[name]) || "";
  }

  function say(button, message) {
    const element = status(button);
    if (element) {
      element.textContent = message;
    }
  }

  async function addKey(button) {
    const token = csrfToken(button);
    const options = await post(button.dataset.options, token);
    const credential = await navigator.credentials.create({
      publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options.publicKey),
    });
    const name = document.getElementById("key-name").value;
    const added = await post(button.dataset.finish, token, {
      credential: credential.toJSON(),
      name: name,
    });
    say(button, words(button, "added").replace("{name}", added.name));
  }

  async function useKey(button) {
    const token = csrfToken(button);
    const options = await post(button.dataset.options, token);
    const credential = await navigator.credentials.get({
      publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options.publicKey),
    });
    const done = await post(button.dataset.finish, token, {
      credential: credential.toJSON(),
      next: button.dataset.next,
    });
    window.location.assign(done.next);
  }

  document.querySelectorAll("[data-security-key]").forEach(function (button) {
    if (!window.PublicKeyCredential || !PublicKeyCredential.parseCreationOptionsFromJSON) {
      button.disabled = true;
      say(button, words(button, "unsupported"));
      return;
    }
    button.addEventListener("click", function (event) {
      event.preventDefault();
      const action = button.dataset.securityKey === "add" ? addKey : useKey;
      say(button, words(button, "touch"));
      action(button).catch(function (error) {
        say(button, error.message || words(button, "noAnswer"));
      });
    });
  });
})();

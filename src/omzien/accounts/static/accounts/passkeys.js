// After django-otp-webauthn's script has stored a new passkey: on to the page that lists
// it (the button says where). Without this the page would only say "registered".
document.addEventListener("otp_webauthn.register_complete", (event) => {
  const button = event.target.closest("#passkey-register-button");
  window.location.assign(button ? button.dataset.doneUrl : window.location.href);
});

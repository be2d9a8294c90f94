/*
 * A bug kept as a test (xfail strict in test_js_connector.py): an older build of the connector
 * handed `failure` the ACD's message text instead of Pega's error object {errCode, errMessage}.
 * Pega Call cannot map a bare string to a message rule (rule F1).
 */
pega.cti.desktopApi.acmeLegacyErrors = function () {
  pega.cti.desktopApi.acme.call(this);
};
pega.cti.desktopApi.acmeLegacyErrors.prototype = Object.create(pega.cti.desktopApi.acme.prototype);
pega.cti.desktopApi.acmeLegacyErrors.prototype.fail = function (failure, acdError, detail) {
  failure(detail || acdError);
};

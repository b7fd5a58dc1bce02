// The query page: YASGUI on this server's /sparql, one tab per example question.
// Configuration comes from the page's JSON block (#atlas-config); nothing is fetched from
// another host (the page's Content-Security-Policy forbids it anyway): the Linked Open
// Vocabularies autocompleters are turned off, the endpoint list holds only this endpoint.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("atlas-config").textContent);
  var endpoint = new URL(config.endpoint, window.location.href).href;
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    populateFromUrl: false,
    autoAddOnInit: false,
    endpointCatalogueOptions: {
      getData: function () { return [{ endpoint: endpoint }]; },
      keys: [],
    },
    yasqe: { autocompleters: ["prefixes", "variables"], resizeable: true },
  });
  var tabs = {};
  config.examples.forEach(function (example, index) {
    var tab = yasgui.addTab(index === 0, {
      name: example.name,
      yasqe: { value: example.query },
      requestConfig: { endpoint: endpoint },
    });
    tabs[example.id] = tab;
  });
  document.querySelectorAll("[data-example]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var tab = tabs[link.getAttribute("data-example")];
      if (tab) { yasgui.selectTabId(tab.getId()); window.scrollTo(0, 0); }
    });
  });
  window.atlasYasgui = yasgui;
})();

// A small plant on node-opcua, for the interop tests: not our code, so our client meets
// another vendor's choices (its sampling, its certificate store, its login checks).
//
//   node server.js --port P --pki DIR [--login USER:PASSWORD] [--secure-only] [--accept-clients]
//                  [--plant SLOW:FAST]
//
// --plant adds SLOW analog variables (s=Scale.Slow<i>.Temperature) and FAST vibration
// variables (s=Scale.Fast<i>.Vibration) whose values change all the time, for the plant-scale
// benchmark (tests/bench/bench_plant_scale.py).
//
// --secure-only offers Basic256Sha256 SignAndEncrypt only and refuses unknown client
// certificates unless --accept-clients is given.
//
// Prints "endpoint opc.tcp://127.0.0.1:P" once it listens. A line "trust-rejected" on stdin
// trusts every client certificate the server has refused so far (what an administrator does
// in the server's own tool) and answers "trusted N".
"use strict";
const readline = require("readline");
const {
  OPCUAServer, OPCUACertificateManager, Variant, DataType, SecurityPolicy,
  MessageSecurityMode, standardUnits,
} = require("node-opcua");

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const NAMESPACE = "urn:wrenchbook:interop:node-opcua";

async function main() {
  const port = Number(option("--port"));
  const pki = option("--pki");
  const login = option("--login", "");
  const secureOnly = process.argv.includes("--secure-only");
  const acceptClients = process.argv.includes("--accept-clients");
  const [user, password] = login ? login.split(":") : [null, null];
  const certificateManager = new OPCUACertificateManager({
    rootFolder: pki,
    automaticallyAcceptUnknownCertificate: !secureOnly || acceptClients,
  });
  await certificateManager.initialize();
  const server = new OPCUAServer({
    port,
    hostname: "127.0.0.1",
    serverCertificateManager: certificateManager,
    securityPolicies: secureOnly ? [SecurityPolicy.Basic256Sha256] : [SecurityPolicy.None],
    securityModes: secureOnly ? [MessageSecurityMode.SignAndEncrypt] : [MessageSecurityMode.None],
    allowAnonymous: !login,
    userManager: { isValidUser: (u, p) => u === user && p === password },
    buildInfo: { productName: "wrenchbook-interop", softwareVersion: "1" },
  });
  await server.initialize();
  const addressSpace = server.engine.addressSpace;
  const ns = addressSpace.registerNamespace(NAMESPACE);
  const line = ns.addFolder(addressSpace.rootFolder.objects, { browseName: "Line1" });
  const pump = ns.addObject({ organizedBy: line, browseName: "FeedPump" });
  const started = Date.now();
  const seconds = () => (Date.now() - started) / 1000;
  // Values move all the time, so a client sampling at 100 ms sees a new value every time.
  ns.addAnalogDataItem({
    componentOf: pump, browseName: "Speed", nodeId: "s=FeedPump.Speed", dataType: "Double", minimumSamplingInterval: 50,
    engineeringUnits: standardUnits.revolutions_per_minute,
    engineeringUnitsRange: { low: 0, high: 3000 },
    value: { get: () => new Variant({ dataType: DataType.Double,
      value: 1450 + 30 * Math.sin(seconds()) + Date.now() % 1000 / 1000 }) },
  });
  ns.addAnalogDataItem({
    componentOf: pump, browseName: "Temperature", nodeId: "s=FeedPump.Temperature",
    dataType: "Double", minimumSamplingInterval: 50, engineeringUnits: standardUnits.degree_celsius,
    engineeringUnitsRange: { low: -20, high: 150 },
    value: { get: () => new Variant({ dataType: DataType.Double, value: 40 + seconds() / 100 }) },
  });
  ns.addVariable({
    componentOf: pump, browseName: "Running", nodeId: "s=FeedPump.Running",
    dataType: "Boolean", minimumSamplingInterval: 50,
    value: { get: () => new Variant({ dataType: DataType.Boolean, value: true }) },
  });
  ns.addVariable({
    componentOf: pump, browseName: "Spectrum", nodeId: "s=FeedPump.Spectrum",
    dataType: "Double", valueRank: 1, arrayDimensions: [4],
    value: { get: () => new Variant({ dataType: DataType.Double, arrayType: 1,
      value: new Float64Array([1, 2, 3, 4]) }) },
  });
  const plant = option("--plant", "");
  if (plant) {
    const [slow, fast] = plant.split(":").map(Number);
    const scale = ns.addFolder(addressSpace.rootFolder.objects, { browseName: "Scale" });
    const changing = (offset) => ({
      get: () => new Variant({ dataType: DataType.Double,
        value: 20 + ((Date.now() / 1000 + offset) % 10) }),
    });
    for (let i = 0; i < slow; i += 1) {
      ns.addVariable({ organizedBy: scale, browseName: `Slow${i}.Temperature`,
        nodeId: `s=Scale.Slow${i}.Temperature`, dataType: "Double",
        minimumSamplingInterval: 50, value: changing(i) });
    }
    for (let i = 0; i < fast; i += 1) {
      ns.addVariable({ organizedBy: scale, browseName: `Fast${i}.Vibration`,
        nodeId: `s=Scale.Fast${i}.Vibration`, dataType: "Double",
        minimumSamplingInterval: 50, value: changing(i) });
    }
  }
  await server.start();
  console.log(`endpoint opc.tcp://127.0.0.1:${port}`);
  const input = readline.createInterface({ input: process.stdin });
  input.on("line", async (command) => {
    if (command.trim() !== "trust-rejected") return;
    const folder = require("path").join(pki, "rejected");
    const fs = require("fs");
    let count = 0;
    for (const name of fs.readdirSync(folder)) {
      const pem = fs.readFileSync(require("path").join(folder, name));
      const { readCertificate } = require("node-opcua-crypto");
      await certificateManager.trustCertificate(readCertificate(require("path").join(folder, name)));
      count += 1;
    }
    console.log(`trusted ${count}`);
  });
  const stop = async () => { await server.shutdown(100); process.exit(0); };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error) => { console.error(error); process.exit(1); });

// node compose.mjs name=file.graphql name=file.graphql … > supergraph.graphql
// Composes subgraph SDLs with @apollo/composition; exits 1 and prints the errors when they don't compose.
import { readFileSync } from "node:fs";
import { parse } from "graphql";
import { composeServices } from "@apollo/composition";

const services = process.argv.slice(2).map((arg) => {
  const [name, file] = arg.split("=");
  return { name, url: `http://${name}.invalid/graphql`, typeDefs: parse(readFileSync(file, "utf8")) };
});
const result = composeServices(services);
if (result.errors) {
  for (const error of result.errors) console.error(error.message);
  process.exit(1);
}
process.stdout.write(result.supergraphSdl);

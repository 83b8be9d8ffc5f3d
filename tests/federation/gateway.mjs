// node gateway.mjs supergraph.graphql PORT name=url name=url …
// An Apollo Gateway over the composed supergraph; the caller's Authorization header is passed on.
import { readFileSync } from "node:fs";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";

const [supergraphFile, port, ...targets] = process.argv.slice(2);
const urls = Object.fromEntries(targets.map((t) => t.split("=")));

class ForwardAuth extends RemoteGraphQLDataSource {
  willSendRequest({ request, context }) {
    if (context.authorization) request.http.headers.set("authorization", context.authorization);
  }
}

const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(supergraphFile, "utf8"),
  buildService: ({ name }) => new ForwardAuth({ url: urls[name] }),
});
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(port), host: "127.0.0.1" },
  context: async ({ req }) => ({ authorization: req.headers.authorization }),
});
console.log(`gateway ready at ${url}`);

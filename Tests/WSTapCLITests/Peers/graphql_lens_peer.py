"""GraphQL over WebSocket peers for the lens tests (from the test venv, .venv-test/, that scripts/test.sh makes):
strawberry-graphql's aiohttp server and gql's websockets client.

Usage:
  graphql_lens_peer.py server
      A strawberry-graphql server on 127.0.0.1 (a free port, printed first) at /graphql, speaking both
      graphql-transport-ws and the legacy graphql-ws: the query `hello`, the subscription `count(to: N)`
      (1..N), and the query `boom`, which fails.
  graphql_lens_peer.py client URL SUBPROTOCOL
      gql's WebsocketsTransport with that subprotocol: runs `query Hello { hello }`, the subscription
      `subscription Count { count(to: 2) }` and `query Boom { boom }` (the subscription only over the legacy
      graphql-ws, where strawberry refuses queries), printing each result.
"""
import asyncio
import sys


async def server():
    from typing import AsyncGenerator

    import strawberry
    from aiohttp import web
    from strawberry.aiohttp.views import GraphQLView

    @strawberry.type
    class Query:
        @strawberry.field
        def hello(self) -> str:
            return "world"

        @strawberry.field
        def boom(self) -> str:
            raise ValueError("boom failed")

    @strawberry.type
    class Subscription:
        @strawberry.subscription
        async def count(self, to: int) -> AsyncGenerator[int, None]:
            for number in range(1, to + 1):
                yield number

    schema = strawberry.Schema(query=Query, subscription=Subscription)
    app = web.Application()
    app.router.add_route("*", "/graphql", GraphQLView(schema=schema))
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(site._server.sockets[0].getsockname()[1], flush=True)
    await asyncio.Event().wait()


async def client(url, subprotocol):
    from gql import Client, gql
    from gql.transport.websockets import WebsocketsTransport

    transport = WebsocketsTransport(url=url, subprotocols=[subprotocol], ping_interval=None, connect_timeout=60)
    # strawberry serves only subscriptions over the legacy graphql-ws.
    queries = subprotocol == "graphql-transport-ws"
    async with Client(transport=transport, fetch_schema_from_transport=False) as session:
        if queries:
            print("hello", (await session.execute(gql("query Hello { hello }")))["hello"], flush=True)
        async for result in session.subscribe(gql("subscription Count { count(to: 2) }")):
            print("count", result["count"], flush=True)
        if queries:
            try:
                await session.execute(gql("query Boom { boom }"))
            except Exception as error:
                print("boom error", type(error).__name__, flush=True)


def main():
    if sys.argv[1] == "server":
        asyncio.run(server())
    elif sys.argv[1] == "client":
        asyncio.run(client(sys.argv[2], sys.argv[3]))
    else:
        raise SystemExit("unknown mode " + sys.argv[1])


main()

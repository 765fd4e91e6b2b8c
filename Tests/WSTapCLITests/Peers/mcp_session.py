"""A real MCP client (the `mcp` package from PyPI) driving `wstap mcp --control SOCK` over stdio, against a
python websockets client talking through the proxy to an echo server (MCPCommandTests).

Usage: mcp_session.py WSTAP SOCKET PROXY_PORT
Prints "server: NAME", "tools: NAME,...", then what the websockets client got ("client got: ..."), what each
tool answered ("NAME: TEXT"), and "done".
"""
import asyncio
import sys

import websockets
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


def text(result):
    return " ".join(getattr(item, "text", "") for item in result.content)


async def call(session, name, **arguments):
    result = await session.call_tool(name, arguments)
    answer = text(result)
    print("%s%s: %s" % (name, " (error)" if result.is_error else "", answer), flush=True)
    return answer


async def main(wstap, socket, port):
    parameters = StdioServerParameters(command=wstap, args=["mcp", "--control", socket])
    async with stdio_client(parameters) as (read, write):
        async with ClientSession(read, write) as session:
            initialized = await session.initialize()
            print("server: %s" % initialized.server_info.name, flush=True)
            tools = await session.list_tools()
            print("tools: %s" % ",".join(sorted(tool.name for tool in tools.tools)), flush=True)

            await call(session, "set_intercept", direction="c2s", contains="secret")
            async with websockets.connect("ws://127.0.0.1:%d/" % port, ping_interval=None) as ws:
                await ws.send("my secret")
                held = ""
                for _ in range(600):
                    held = await call(session, "list_held")
                    if "secret" in held:
                        break
                    await asyncio.sleep(0.1)
                hold_id = int(held.split()[0])
                await call(session, "edit_held", hold_id=hold_id, text="edited by the agent")
                print("client got: %s" % await asyncio.wait_for(ws.recv(), 60), flush=True)

                connections = await call(session, "list_connections")
                connection = int(connections.split()[-1])
                await call(session, "inject_message", connection=connection, direction="s2c",
                           text="injected by the agent")
                print("client got: %s" % await asyncio.wait_for(ws.recv(), 60), flush=True)
                await call(session, "inject_message", connection=connection, direction="c2s", hex="cafe")
                print("client got: %r" % await asyncio.wait_for(ws.recv(), 60), flush=True)

                await call(session, "forward_held", hold_id=99999)
                await call(session, "set_intercept", direction="off")
                await call(session, "close_connection", connection=connection, code=4001, reason="agent")
                try:
                    await asyncio.wait_for(ws.recv(), 60)
                except websockets.exceptions.ConnectionClosed as closed:
                    print("client closed: %s %s" % (closed.rcvd.code if closed.rcvd else None,
                                                    closed.rcvd.reason if closed.rcvd else ""), flush=True)
    print("done", flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))

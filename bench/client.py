"""A minimal HTTP/1.1 keep-alive client on raw asyncio streams.

Load generators share the machine's two cores with the server, so the client must cost
as little CPU per request as possible; a full client such as httpx costs several times
more than this and would skew the latencies it measures.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""


class Connection:
    """One keep-alive connection; requests on it are sent one at a time."""

    def __init__(self, host: str, port: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.host, self.port = host, port
        self._reader, self._writer = reader, writer

    @classmethod
    async def open(cls, host: str, port: int) -> Connection:
        reader, writer = await asyncio.open_connection(host, port)
        return cls(host, port, reader, writer)

    async def send(self, request: Request) -> tuple[int, bytes]:
        """Send the request and read the whole response: ``(status, body)``."""
        head = [f"{request.method} {request.path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        head += [f"{name}: {value}" for name, value in request.headers.items()]
        head.append(f"Content-Length: {len(request.body)}")
        self._writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + request.body)
        response_head = await self._reader.readuntil(b"\r\n\r\n")
        status = int(response_head.split(b" ", 2)[1])
        return status, await self._reader.readexactly(_content_length(response_head))

    def close(self) -> None:
        self._writer.close()


def _content_length(head: bytes) -> int:
    """The response's Content-Length; Litestar sets it on every response it sends."""
    for line in head.lower().split(b"\r\n"):
        if line.startswith(b"content-length:"):
            return int(line.split(b":", 1)[1])
    if b"transfer-encoding: chunked" in head.lower():
        raise ValueError("chunked responses are not supported by the bench client")
    return 0


def json_request(method: str, path: str, body: Any, headers: dict[str, str] | None = None) -> Request:
    return Request(method, path, {"Content-Type": "application/json", **(headers or {})}, json.dumps(body).encode())


async def call(host: str, port: int, request: Request) -> tuple[int, bytes]:
    """One request on a connection of its own (for set-up, not for load)."""
    connection = await Connection.open(host, port)
    try:
        return await connection.send(request)
    finally:
        connection.close()

"""Protocol Buffers peers for the protobuf lens tests: Debian's python3-protobuf and python3-websockets.

Usage:
  protobuf_peer.py schema DIR
      Writes DIR/chat.proto (the schema as text, for protoc) and DIR/chat.desc (the same schema as a
      descriptor set, made by python's own descriptor types: FileDescriptorSet.SerializeToString()).
  protobuf_peer.py client URL
      Connects to URL (python websockets), sends two chat.Message messages made by python-protobuf
      (binary), reads them back from the echo server, closes with 1000; prints "echoed N".
"""
import asyncio
import os
import sys

from google.protobuf import descriptor_pb2, descriptor_pool

PROTO = """syntax = "proto3";
package chat;

message Author {
  string name = 1;
  uint64 uid = 2;
}

message Message {
  enum Kind {
    TEXT = 0;
    IMAGE = 1;
  }
  string text = 1;
  int32 id = 2;
  repeated sint32 deltas = 3;
  Kind kind = 4;
  Author author = 5;
  double score = 6;
  bytes blob = 7;
  fixed32 f = 8;
  bool ok = 9;
  repeated string tags = 10;
}
"""


def file_descriptor():
    F = descriptor_pb2.FieldDescriptorProto
    file = descriptor_pb2.FileDescriptorProto(name="chat.proto", package="chat", syntax="proto3")
    author = file.message_type.add(name="Author")
    author.field.add(name="name", number=1, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
    author.field.add(name="uid", number=2, type=F.TYPE_UINT64, label=F.LABEL_OPTIONAL)
    message = file.message_type.add(name="Message")
    kind = message.enum_type.add(name="Kind")
    kind.value.add(name="TEXT", number=0)
    kind.value.add(name="IMAGE", number=1)
    message.field.add(name="text", number=1, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
    message.field.add(name="id", number=2, type=F.TYPE_INT32, label=F.LABEL_OPTIONAL)
    message.field.add(name="deltas", number=3, type=F.TYPE_SINT32, label=F.LABEL_REPEATED)
    message.field.add(name="kind", number=4, type=F.TYPE_ENUM, type_name=".chat.Message.Kind", label=F.LABEL_OPTIONAL)
    message.field.add(name="author", number=5, type=F.TYPE_MESSAGE, type_name=".chat.Author", label=F.LABEL_OPTIONAL)
    message.field.add(name="score", number=6, type=F.TYPE_DOUBLE, label=F.LABEL_OPTIONAL)
    message.field.add(name="blob", number=7, type=F.TYPE_BYTES, label=F.LABEL_OPTIONAL)
    message.field.add(name="f", number=8, type=F.TYPE_FIXED32, label=F.LABEL_OPTIONAL)
    message.field.add(name="ok", number=9, type=F.TYPE_BOOL, label=F.LABEL_OPTIONAL)
    message.field.add(name="tags", number=10, type=F.TYPE_STRING, label=F.LABEL_REPEATED)
    return file


def message_class():
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file_descriptor())
    descriptor = pool.FindMessageTypeByName("chat.Message")
    try:
        from google.protobuf import message_factory

        return message_factory.GetMessageClass(descriptor)
    except AttributeError:
        from google.protobuf import message_factory

        return message_factory.MessageFactory(pool).GetPrototype(descriptor)


def messages():
    Message = message_class()
    first = Message(text="hi", id=150, deltas=[-1, 2, -3], kind=1, score=2.5, blob=b"\x00\xff", f=7, ok=True,
                    tags=["a", "b"])
    first.author.name = "ana"
    first.author.uid = 1 << 40
    second = Message(text="second", id=-5)
    return [first.SerializeToString(), second.SerializeToString()]


async def client(url):
    import websockets

    sent = messages()
    async with websockets.connect(url, ping_interval=None, open_timeout=60) as socket:
        for payload in sent:
            await socket.send(payload)
        echoed = 0
        for payload in sent:
            back = await asyncio.wait_for(socket.recv(), 60)
            echoed += back == payload
    print("echoed", echoed, flush=True)


def main():
    if sys.argv[1] == "schema":
        directory = sys.argv[2]
        with open(os.path.join(directory, "chat.proto"), "w") as out:
            out.write(PROTO)
        descriptor_set = descriptor_pb2.FileDescriptorSet()
        descriptor_set.file.append(file_descriptor())
        with open(os.path.join(directory, "chat.desc"), "wb") as out:
            out.write(descriptor_set.SerializeToString())
    elif sys.argv[1] == "client":
        asyncio.run(client(sys.argv[2]))
    else:
        raise SystemExit("unknown mode " + sys.argv[1])


main()

"""What a Python escrow bot does with the mesh, through stubs generated from proto/ by
Debian's grpc_python_plugin: look up the users of a deal with their wallets, start the bot,
and read its command stream. Prints one JSON object with what it saw.

Usage: escrow_bot.py STUBS_DIR USER_CACHE_ADDR BOT_CONTROL_ADDR USER_ID BOT_NAME
The service token comes from MESH_SERVICE_TOKEN."""

import json
import os
import sys

sys.path.insert(0, sys.argv[1])

import grpc  # noqa: E402
from google.protobuf import json_format  # noqa: E402
from mesh.bot_control.v1 import bot_control_pb2, bot_control_pb2_grpc  # noqa: E402
from mesh.user_cache.v1 import user_cache_pb2, user_cache_pb2_grpc  # noqa: E402


def main() -> None:
    _, _, user_cache_addr, bot_control_addr, user_id, bot_name = sys.argv
    metadata = (("authorization", "Bearer " + os.environ["MESH_SERVICE_TOKEN"]),)
    seen = {}

    with grpc.insecure_channel(user_cache_addr) as channel:
        users = user_cache_pb2_grpc.UserCacheServiceStub(channel)
        answer = users.GetUsers(
            user_cache_pb2.GetUsersRequest(ids=[int(user_id)], include=user_cache_pb2.UserInclude(wallets=True)),
            metadata=metadata,
            timeout=10,
        )
        user = answer.users[0].user
        seen["user"] = {
            "id": str(user.id),
            "name": user.name,
            "wallets": {wallet.currency: wallet.balance for wallet in user.wallets},
        }
        try:
            users.GetUsers(user_cache_pb2.GetUsersRequest(ids=[0]), metadata=metadata, timeout=10)
        except grpc.RpcError as error:
            seen["bad_input"] = error.code().name

    with grpc.insecure_channel(bot_control_addr) as channel:
        bots = bot_control_pb2_grpc.BotControlServiceStub(channel)
        bot = bots.RegisterBot(bot_control_pb2.RegisterBotRequest(name=bot_name), metadata=metadata, timeout=10).bot
        started = bots.StartBot(bot_control_pb2.StartBotRequest(bot_id=bot.id), metadata=metadata, timeout=10)
        stream = bots.OnCommand(bot_control_pb2.OnCommandRequest(bot_id=bot.id), metadata=metadata, timeout=10)
        first = next(iter(stream))
        stream.cancel()
        seen["started_event_id"] = started.event_id
        seen["command"] = {
            "event_id": first.event_id,
            "name": bot_control_pb2.CommandName.Name(first.command),
            "status": bot_control_pb2.CommandStatus.Name(first.status),
            "payload": json_format.MessageToDict(first.payload),
        }

    print(json.dumps(seen))


if __name__ == "__main__":
    main()

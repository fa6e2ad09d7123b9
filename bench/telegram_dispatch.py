"""Outbox-like messages through TelegramChannel.send against the fake Bot API server, with the
production pace (ChatRateLimiter: 30 messages/s overall, 1/s per chat), every send started at
once as several dispatchers would. Times are taken where the fake server receives each request.

    .venv/bin/python bench/telegram_dispatch.py [--messages 2000] [--chats 500] [--rate 30] [--per-chat 1]

It reports messages/s achieved against the configured limit, the worst window (the most messages
the server saw in any one second: it must stay <= 30), and the largest per-chat rate observed.
It measures; it never fails. 600 messages to 200 chats on a loaded 2-core machine (December
2026): 23.9 messages/s, at most 26 in any one second.
"""

import argparse
import asyncio
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.channels.port import DeliveryError, Outgoing  # noqa: E402
from bot.channels.telegram import TelegramChannel  # noqa: E402
from tests.telegram.fake_telegram import TOKEN, FakeTelegram, most_in_a_second  # noqa: E402

DIGEST = ("Nhắc việc hôm nay (chi bộ Trường THPT Trần Phú):\n"
          "• Sinh hoạt chi bộ ngày 05/03/2026, 14:00 tại phòng họp tầng 2.\n"
          "• Quần chúng Nguyễn Thị Hoa: đã 30 ngày chưa gặp người giúp đỡ.\n"
          "• Lớp nhận thức về Đảng: hạn đăng ký 10/03/2026.")


async def main(messages: int, chats: int, rate: float, per_chat: float) -> None:
    fake = await FakeTelegram().start()
    channel = TelegramChannel.connect(TOKEN, base_url=fake.url, rate_overall=rate, rate_per_chat=per_chat)
    await channel.start()
    plan = [(1_000_000 + n % chats, n // chats) for n in range(messages)]  # chat, its k-th message
    failed = 0

    async def one(chat: int, k: int) -> None:
        nonlocal failed
        try:
            await channel.send(str(chat), Outgoing(f"{DIGEST}\n(tin {k + 1})"))
        except DeliveryError:
            failed += 1

    started = time.perf_counter()
    await asyncio.gather(*(one(chat, k) for chat, k in plan))
    elapsed = time.perf_counter() - started
    await channel.stop()
    await fake.stop()

    arrivals = fake.arrivals()
    by_chat: dict[int, list[float]] = defaultdict(list)
    for r in fake.requests:
        if r.method == "sendMessage":
            by_chat[r.body["chat_id"]].append(r.at)
    for times in by_chat.values():
        times.sort()
    gaps = [b - a for times in by_chat.values() for a, b in zip(times, times[1:], strict=False)]
    span = arrivals[-1] - arrivals[0] if len(arrivals) > 1 else 0.0
    print(f"messages: {messages} to {chats} chats; delivered {len(fake.messages)}, failed {failed}")
    print(f"elapsed: {elapsed:.1f} s (first to last request at the server: {span:.1f} s)")
    between = (len(arrivals) - 1) / span if span else 0.0
    print(f"overall: {messages / elapsed:.2f} messages/s achieved, {between:.2f}/s between first and last "
          f"request; configured limit {rate:g}/s")
    print(f"overall: worst window: at most {most_in_a_second(arrivals)} messages in any one second (limit 30)")
    if gaps:
        print(f"per chat: shortest gap between two messages to one chat {min(gaps):.3f} s "
              f"(largest per-chat rate {1 / min(gaps):.3f}/s; configured limit {per_chat:g}/s); "
              f"at most {max(most_in_a_second(t) for t in by_chat.values())} in any one second")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--chats", type=int, default=500)
    parser.add_argument("--rate", type=float, default=30.0)
    parser.add_argument("--per-chat", type=float, default=1.0)
    args = parser.parse_args()
    asyncio.run(main(args.messages, args.chats, args.rate, args.per_chat))

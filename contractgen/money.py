"""Splitting a total into instalments, exact to the fen: the remainder rule.

An instalment is written as an amount, as a share of the total, or as
neither.  :func:`allocate` turns such a list into amounts:

* an amount is used as written;
* a share gets ``total × share`` rounded *down* to the fen (0.01);
* what is left of the total is split equally among the instalments that give
  neither, each rounded down to the fen, and the fen left over go to the
  *last* of them (尾款 carries the remainder, :func:`split_total`);
* when every instalment gives an amount or a share, the fen left over by
  rounding the shares go to the last share instalment.

Rounding down and handing the remainder to one named instalment means the
amounts always add up to the total exactly, and no party is owed a fen that
appears nowhere.  These functions only compute; the model checks that the
result makes sense (shares within 100 %, every amount above zero) and names
the key path when it does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal, localcontext

FEN = Decimal("0.01")

# Money has at most 17 digits and a share at most 7, so 60 digits keep every
# product and sum exact (the default context keeps only 28).
_EXACT_DIGITS = 60

Part = tuple[Decimal | None, Decimal | None]
"""One instalment as written: ``(amount, share)``, at most one of them given."""


def round_down_to_fen(value: Decimal) -> Decimal:
    """``value`` cut (not rounded) to two decimal places: 33.339 → 33.33."""
    with localcontext() as context:
        context.prec = _EXACT_DIGITS
        return value.quantize(FEN, rounding=ROUND_DOWN)


def share_of(total: Decimal, share: Decimal) -> Decimal:
    """``total × share`` rounded down to the fen: 30 % of 100.05 → 30.01."""
    with localcontext() as context:
        context.prec = _EXACT_DIGITS
        return round_down_to_fen(total * share)


def exact_share_of(total: Decimal, share: Decimal) -> Decimal:
    """``total × share`` without rounding (for checks: does it all add up?)."""
    with localcontext() as context:
        context.prec = _EXACT_DIGITS
        return total * share


def split_total(total: Decimal, parts: int) -> list[Decimal]:
    """``total`` in ``parts`` equal amounts rounded down to the fen; the last carries the remainder.

    ``split_total(Decimal("100.00"), 3)`` → 33.33, 33.33, 33.34.  The amounts
    always add up to ``total``; the last is larger than the others by less
    than ``parts`` fen.  Counted in whole fen, so no division is ever inexact.
    """
    if parts < 1:
        raise ValueError("split a total into at least one part")
    scaled = total.scaleb(2)
    if not scaled.is_finite() or scaled != scaled.to_integral_value():
        raise ValueError(f"{total} is not a whole number of fen")
    fen = int(scaled)
    each = abs(fen) // parts * (1 if fen >= 0 else -1)  # toward zero, as rounding down does
    return [Decimal(each) * FEN] * (parts - 1) + [Decimal(fen - each * (parts - 1)) * FEN]


def allocate(total: Decimal, parts: Sequence[Part]) -> list[Decimal]:
    """The amount of each instalment by the remainder rule (see the module docstring).

    Nothing is checked here.  An amount may come out as 0.00 or less; when
    every part gives an amount the result need not add up to the total; when
    every part gives an amount or a share, the last share takes *whatever* is
    left, so the caller must first check that the shares and amounts make up
    the total exactly (:func:`exact_share_of`) and only rounding fen remain.
    """
    amounts: list[Decimal | None] = [
        amount if amount is not None else share_of(total, share) if share is not None else None
        for amount, share in parts
    ]
    with localcontext() as context:
        context.prec = _EXACT_DIGITS
        rest = total - sum((a for a in amounts if a is not None), Decimal("0.00"))
    open_indexes = [index for index, amount in enumerate(amounts) if amount is None]
    share_indexes = [index for index, (amount, share) in enumerate(parts) if amount is None and share is not None]
    if open_indexes:
        for index, amount in zip(open_indexes, split_total(rest, len(open_indexes)), strict=True):
            amounts[index] = amount
    elif share_indexes:
        amounts[share_indexes[-1]] = share_of(total, parts[share_indexes[-1]][1]) + rest  # type: ignore[arg-type]
    return [amount if amount is not None else Decimal("0.00") for amount in amounts]

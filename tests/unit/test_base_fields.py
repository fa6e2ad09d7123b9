"""enum_field, the column every StrEnum is stored in: a 24-character string, a default only when
one is given, the other column options passed on (mutation testing of models/base.py found no test
calling it: the models call it only while they are imported)."""

import sqlalchemy as sa
from pydantic_core import PydanticUndefined

from models.base import enum_field


def test_without_a_default_the_column_has_none_and_keeps_its_options():
    field = enum_field(index=True, nullable=False)
    assert field.default is PydanticUndefined
    assert isinstance(field.sa_type, sa.String)
    assert field.sa_type.length == 24
    assert (field.index, field.nullable) == (True, False)


def test_a_default_is_kept_with_the_same_column_and_options():
    field = enum_field("admitted", index=True, nullable=True)
    assert field.default == "admitted"
    assert isinstance(field.sa_type, sa.String)
    assert field.sa_type.length == 24
    assert (field.index, field.nullable) == (True, True)

"""Plain data records, made without the dataclasses module.

`eksguide ask` must start fast, and `dataclasses` costs it several milliseconds before the first
question: it imports `inspect` (and with it `ast`, `dis` and `tokenize`) and compiles an
`__init__`, `__repr__`, `__eq__` and `__hash__` for every class. The knowledge base's records
only need what is here: keyword or positional construction with defaults, read-only fields,
equality and hashing over the compared fields, a readable repr, optional ordering, and
`replace`. Records pickle as ordinary objects (the engine's cache holds them).

    @record
    class Source:
        title: str
        url: str = ""

    @record(frozen=False)
    class Scratch:
        seen: dict = field(factory=dict)
"""
from __future__ import annotations

_MISSING = object()


class Field:
    """A field's default (a value, or a factory called for each record) and whether it counts
    in equality and the repr."""

    __slots__ = ("default", "factory", "compare", "repr")

    def __init__(self, default=_MISSING, factory=None, compare: bool = True, repr: bool = True):
        self.default, self.factory, self.compare, self.repr = default, factory, compare, repr


def field(*, default=_MISSING, factory=None, compare: bool = True, repr: bool = True) -> Field:
    return Field(default, factory, compare, repr)


class FrozenRecordError(AttributeError):
    """A field of a frozen record was assigned to."""


def record(cls=None, *, frozen: bool = True, order: bool = False):
    """Make `cls` a record of its annotated fields (see the module's docstring)."""
    def wrap(cls):
        return _make(cls, frozen, order)

    return wrap if cls is None else wrap(cls)


def replace(obj, **changes):
    """A copy of record `obj` with `changes` to some of its fields."""
    values = {name: getattr(obj, name) for name in type(obj).__record_fields__}
    unknown = set(changes) - set(values)
    if unknown:
        raise TypeError(f"{type(obj).__name__} has no field {sorted(unknown)[0]!r}")
    values.update(changes)
    return type(obj)(**values)


def _make(cls, frozen: bool, order: bool):
    names = tuple(cls.__dict__.get("__annotations__", {}))
    specs: dict[str, Field] = {}
    for name in names:
        declared = cls.__dict__.get(name, _MISSING)
        spec = declared if isinstance(declared, Field) else Field(declared)
        specs[name] = spec
        if isinstance(declared, Field):
            if spec.default is _MISSING:
                delattr(cls, name)  # no class attribute standing in for a missing value
            else:
                setattr(cls, name, spec.default)
    compared = tuple(n for n in names if specs[n].compare)
    shown = tuple(n for n in names if specs[n].repr)
    assign = object.__setattr__

    def __init__(self, *args, **kwargs):
        if len(args) > len(names):
            raise TypeError(f"{cls.__name__} takes {len(names)} fields, {len(args)} given")
        for name, value in zip(names, args):
            if name in kwargs:
                raise TypeError(f"{cls.__name__} got {name!r} twice")
            kwargs[name] = value
        for name in names:
            if name in kwargs:
                assign(self, name, kwargs.pop(name))
                continue
            spec = specs[name]
            if spec.factory is not None:
                assign(self, name, spec.factory())
            elif spec.default is not _MISSING:
                assign(self, name, spec.default)
            else:
                raise TypeError(f"{cls.__name__} needs the field {name!r}")
        if kwargs:
            raise TypeError(f"{cls.__name__} has no field {sorted(kwargs)[0]!r}")
        post_init = getattr(self, "__post_init__", None)
        if post_init is not None:
            post_init()

    def key(self) -> tuple:
        return tuple(getattr(self, n) for n in compared)

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return key(self) == key(other)

    def __repr__(self):
        return f"{cls.__qualname__}(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in shown) + ")"

    cls.__init__ = __init__
    cls.__eq__ = __eq__
    cls.__repr__ = __repr__
    cls.__record_fields__ = names
    if frozen:
        def __setattr__(self, name, value):
            raise FrozenRecordError(f"cannot assign to field {name!r} of a {cls.__name__}")

        def __delattr__(self, name):
            raise FrozenRecordError(f"cannot delete field {name!r} of a {cls.__name__}")

        cls.__setattr__ = __setattr__
        cls.__delattr__ = __delattr__
        cls.__hash__ = lambda self: hash(key(self))
    else:
        cls.__hash__ = None  # mutable and compared by value: not hashable
    if order:
        def compare(op):
            def method(self, other):
                if other.__class__ is not self.__class__:
                    return NotImplemented
                return op(key(self), key(other))
            return method

        cls.__lt__ = compare(tuple.__lt__)
        cls.__le__ = compare(tuple.__le__)
        cls.__gt__ = compare(tuple.__gt__)
        cls.__ge__ = compare(tuple.__ge__)
    return cls

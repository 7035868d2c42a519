import typing
from dataclasses import dataclass
from typing import Protocol, runtime_checkable


# step: Annotate a function
def add(a: int, b: int) -> int:
    return a + b


# step: Call it with the wrong types
print(add(2, 3))
print(add("2", "3"))  # nothing checks the hints: strings concatenate
try:
    add("2", 3)
except TypeError as err:  # the + operator fails, not the hint
    print("TypeError:", err)
print(typing.get_type_hints(add))  # the hints are data you can read

# step: Ask the runtime what a value is
for value in [1, "1", None, [1], {"x": 1}]:
    print(repr(value), "->", type(value).__name__)


# step: Check the shape, not the class
@runtime_checkable
class Quacker(Protocol):
    def quack(self) -> str: ...


class Duck:
    def quack(self) -> str:
        return "Quack!"


class Robot:
    quack = "not a function"


# isinstance with a runtime-checkable Protocol only checks that the name exists
print("duck:", isinstance(Duck(), Quacker), "robot:", isinstance(Robot(), Quacker))


# step: Type-checked code still meets untyped data
@dataclass
class User:
    name: str
    age: int


user = User(name="Ada", age="36")  # a dataclass does not validate either
print(user, "->", type(user.age).__name__)

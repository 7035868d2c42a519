from dataclasses import dataclass


# step: Define a class
class Account:
    def __init__(self, owner):
        self.owner = owner
        self.__balance = 0  # stored as _Account__balance: hidden, not private

    @property
    def balance(self):
        return self.__balance

    def deposit(self, amount):
        if amount <= 0:
            raise ValueError("amount must be positive")
        self.__balance += amount
        return self

    @classmethod
    def parse(cls, text):
        owner, amount = text.split(":")
        return cls(owner).deposit(int(amount))

    def __repr__(self):
        return f"{type(self).__name__}({self.owner}, {self.__balance})"


# step: Inherit and override
class Savings(Account):
    def __init__(self, owner, rate=0.05):
        super().__init__(owner)
        self.rate = rate

    def add_interest(self):
        return self.deposit(round(self.balance * self.rate))


# step: Use the objects
acct = Savings.parse("ada:200").add_interest()
print(acct, "| balance:", acct.balance)
print("own fields:", ", ".join(vars(acct)))


# step: Compare plain value objects
# @dataclass generates __init__, __repr__ and value-based __eq__
@dataclass(frozen=True)
class Point:
    x: int
    y: int


print(Point(1, 2), Point(1, 2) == Point(1, 2))

// step: Define a class
class Account {
  #balance = 0; // private: a syntax error to touch from outside the class

  constructor(owner) {
    this.owner = owner;
  }

  get balance() {
    return this.#balance;
  }

  deposit(amount) {
    if (amount <= 0) throw new RangeError('amount must be positive');
    this.#balance += amount;
    return this;
  }

  static parse(text) {
    const [owner, amount] = text.split(':');
    return new this(owner).deposit(Number(amount));
  }

  toString() {
    return `${this.constructor.name}(${this.owner}, ${this.#balance})`;
  }
}

// step: Inherit and override
class Savings extends Account {
  constructor(owner, rate = 0.05) {
    super(owner);
    this.rate = rate;
  }

  addInterest() {
    return this.deposit(Math.round(this.balance * this.rate));
  }
}

// step: Use the objects
const acct = Savings.parse('ada:200').addInterest();
console.log(`${acct}`, '| balance:', acct.balance);
console.log('own fields:', Object.keys(acct).join(', '));

// step: Compare plain value objects
// no dataclass: equality is identity, and there is no generated toString
class Point {
  constructor(x, y) {
    Object.assign(this, { x, y });
  }
}
console.log(new Point(1, 2), new Point(1, 2) === new Point(1, 2));

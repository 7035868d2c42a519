interface User {
  name: string;
  age: number;
}

function nextYear(user: User): string {
  return `${user.name} is ${user.age + 1} next year`;
}

// JSON.parse returns `any`, so the compiler accepts this call
const user: User = JSON.parse('{"name": "Ada", "age": "36"}');
console.log(nextYear(user));

import csv
import statistics
from collections import defaultdict

# step: Parse the CSV
# The csv module handles quoting, embedded commas and line endings.
with open("orders.csv", newline="", encoding="utf-8") as f:
    orders = list(csv.DictReader(f))

# step: Group the amounts by city
by_city = defaultdict(list)
for order in orders:
    by_city[order["city"]].append(float(order["amount"]))

# step: Summarise each group
# statistics ships with Python: mean, median and sample standard deviation.
summary = {
    city: (statistics.mean(xs), statistics.median(xs), statistics.stdev(xs))
    for city, xs in by_city.items()
}

# step: Print a table, sorted by city
print(f"{'city':<10}{'n':>3}{'mean':>9}{'median':>9}{'stdev':>9}")
for city in sorted(summary):
    m, med, sd = summary[city]
    print(f"{city:<10}{len(by_city[city]):>3}{m:>9.2f}{med:>9.2f}{sd:>9.2f}")

import json
import sys

r8, r6 = (json.load(open(p))["cost"] for p in sys.argv[1:3])
e8, e6 = r8["energy_j"], r6["energy_j"]
print("adc dynamic ratio %.3f" % (e6["dynamic_by_component"]["adc"] /
                                  e8["dynamic_by_component"]["adc"]))
print("adc static ratio %.3f" % (e6["static_by_component"]["adc"] /
                                 e8["static_by_component"]["adc"]))
other8 = e8["dynamic"] - e8["dynamic_by_component"]["adc"]
other6 = e6["dynamic"] - e6["dynamic_by_component"]["adc"]
print("other dynamic ratio %.3f" % (other6 / other8))
print("area saved %.2f mm^2" % (r8["area_mm2"] - r6["area_mm2"]))

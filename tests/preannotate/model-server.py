#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# A stand-in for a lab's model server speaking Label Studio's ML backend
# protocol: POST .../predict {"tasks": [{"id", "data"}], "label_config", ...}
# answered with {"results": [{"result": [...], "score", "model_version"}]}.
# The first part of the path picks how it behaves: /ok/, /slow/, /fail/
# (HTTP 500), /garbage/ (not JSON), /shape/ (no "results"), /label/ (a label
# the task lacks), /outside/ (a rectangle past 100 %), /none/ (no result).
# It prints its port, and every request it gets to the file in argv[1].
import json
import re
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

log = open(sys.argv[1], "a")


def predict(task, config, mode):
    data = task["data"]
    if "<RectangleLabels" in config:
        labels = re.findall(r'<Label value="([^"]*)"', config)
        label = "kat" if mode == "label" else labels[0]
        width = 120 if mode == "outside" else 25
        return [{"from_name": "label", "to_name": "image", "type": "rectanglelabels",
                 "score": 0.8,
                 "value": {"x": 10, "y": 20, "width": width, "height": 50,
                           "rectanglelabels": [label]}}]
    if "<TextArea" in config:
        return [{"from_name": "transcription", "to_name": "audio", "type": "textarea",
                 "value": {"text": ["ten of clubs"]}}]
    choices = re.findall(r'<Choice value="([^"]*)"', config)
    return [{"from_name": "choice", "to_name": "image" if "image" in data else "audio",
             "type": "choices", "score": 0.7, "value": {"choices": [choices[0]]}}]


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body, kind="application/json"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        mode = self.path.strip("/").split("/")[0]
        log.write(json.dumps({"path": self.path, "body": body}) + "\n")
        log.flush()
        if not self.path.endswith("/predict"):
            return self.answer(404, "no such route")
        if mode == "slow":
            time.sleep(3)
        if mode == "fail":
            return self.answer(500, "Traceback: the model fell over", "text/plain")
        if mode == "garbage":
            return self.answer(200, "<html>not json</html>", "text/html")
        if mode == "shape":
            return self.answer(200, json.dumps({"predictions": []}))
        results = []
        for task in body["tasks"]:
            result = [] if mode == "none" else predict(task, body["label_config"], mode)
            results.append({"result": result, "score": 0.6, "model_version": "stand-in-1"})
        self.answer(200, json.dumps({"results": results, "model_version": "stand-in-1"}))


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()

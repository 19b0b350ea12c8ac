"""快递100 (Kuaidi100) subscription push + real-time query.

Documented facts used here:
- subscribe: ``POST https://poll.kuaidi100.com/poll`` form ``schema=json`` and
  ``param={"company", "number", "key", "parameters": {"callbackurl", "salt", "resultv2"}}``;
  answer ``{"result": true, "returnCode": "200", "message": "提交成功"}`` (``501`` = already
  subscribed, treated as success);
- push callback: form fields ``param`` (JSON with ``lastResult``) and ``sign`` =
  upper-case hex MD5(param + salt); ``lastResult.state``: 0 在途 in transit, 1 揽收 picked up,
  2 疑难 problem, 3 签收 signed, 4 退签 returned, 5 派件 out for delivery, 6 退回 returning,
  7 转投 forwarded, 8/10-13 清关 customs, 14 拒签 refused; with ``resultv2`` each checkpoint
  also carries a ``statusCode`` sub-state (101 ordered, 1001 arrived at city, 301 signed by
  addressee, 204 delivery failed...); the answer must be
  ``{"result": true, "returnCode": "200", "message": "成功"}``;
- real-time query: ``POST https://poll.kuaidi100.com/poll/query.do`` form ``customer``,
  ``param={"com", "num", "resultv2"}`` and ``sign`` = upper-case MD5(param + key + customer).

Uncertain: the checkpoint ``areaCenter`` (resultv2=4) is read as "longitude,latitude"; times are
China local time (UTC+8) without offset; the push ``status`` values ``abort``/``shutdown`` are only
logged, the state of the parcel comes from ``lastResult``.
"""

import hashlib
import hmac
import json
from datetime import timedelta, timezone

from .base import (
    MalformedPayload,
    ProviderError,
    TrackingEvent,
    TrackingProvider,
    parse_datetime,
    parse_float,
    register_provider,
)

CHINA_TZ = timezone(timedelta(hours=8))

STATE_STATUS = {
    "0": "in_transit",
    "1": "in_transit",  # picked up by the courier
    "2": "exception",
    "3": "delivered",
    "4": "returned",
    "5": "out_for_delivery",
    "6": "returned",
    "7": "in_transit",
    "8": "in_transit",
    "10": "in_transit",
    "11": "in_transit",
    "12": "in_transit",
    "13": "exception",
    "14": "exception",  # refused by the addressee
}
SUB_STATE_STATUS = {
    "101": "info_received",  # 已下单
    "102": "info_received",  # 待揽收
    "103": "in_transit",  # 已揽收
    "204": "failed_attempt",  # 派件异常
    "206": "failed_attempt",  # 无法联系
    "401": "returned",
}
TEXT_STATUS = {
    "在途": "in_transit",
    "揽收": "in_transit",
    "疑难": "exception",
    "签收": "delivered",
    "退签": "returned",
    "派件": "out_for_delivery",
    "退回": "returned",
    "转投": "in_transit",
    "清关": "in_transit",
    "拒签": "exception",
}
ACK = {"result": True, "returnCode": "200", "message": "成功"}


def state_status(code):
    """Normalized status of a Kuaidi100 state or resultv2 sub-state code."""
    code = str(code or "").strip()
    if code in SUB_STATE_STATUS:
        return SUB_STATE_STATUS[code]
    if code in STATE_STATUS:
        return STATE_STATUS[code]
    if code.startswith("100") and len(code) == 4:  # 1001-1003: in-transit sub-states
        return "in_transit"
    if len(code) == 3 and code[0] in STATE_STATUS:  # 301, 501, 201...
        return STATE_STATUS[code[0]]
    if len(code) == 4 and code[:2] in STATE_STATUS:  # 1401...
        return STATE_STATUS[code[:2]]
    return None


def md5_upper(text):
    return hashlib.md5(text.encode()).hexdigest().upper()


@register_provider
class Kuaidi100Provider(TrackingProvider):
    code = "kuaidi100"
    label = "快递100 (Kuaidi100)"
    sequence = 20
    batch_size = 1  # the real-time query takes one number per call

    def register(self, numbers):
        result = {}
        for number in numbers:
            param = {
                "company": self.config.carrier_code,
                "number": number,
                "key": self.config.api_key,
                "parameters": {
                    "callbackurl": self.config.callback_url,
                    "salt": self.config.webhook_secret,
                    "resultv2": "4",
                },
            }
            response = self._request(
                "POST",
                self._url("poll"),
                data={"schema": "json", "param": json.dumps(param, ensure_ascii=False)},
            )
            data = self._json(response)
            if data.get("result") or str(data.get("returnCode")) in ("200", "501"):
                result[number] = ""
            else:
                result[number] = data.get("message") or str(data.get("returnCode"))
        return result

    def fetch(self, numbers):
        result = {}
        for number in numbers:
            param = json.dumps({"com": self.config.carrier_code, "num": number, "resultv2": "4"}, ensure_ascii=False)
            sign = md5_upper(param + self.config.api_key + self.config.account)
            response = self._request(
                "POST",
                self._url("poll/query.do"),
                data={"customer": self.config.account, "sign": sign, "param": param},
            )
            data = self._json(response)
            if str(data.get("status")) != "200":
                if str(data.get("returnCode")) in ("500", "404"):  # no result (yet)
                    continue
                raise ProviderError(f"Kuaidi100: {data.get('message') or data.get('returnCode')}")
            result[number] = self._result_events(data, fallback_number=number)
        return result

    def verify_webhook(self, headers, body, form):
        param = form.get("param")
        sign = form.get("sign") or ""
        if not param or not self.config.webhook_secret:
            return False
        expected = md5_upper(param + self.config.webhook_secret)
        return hmac.compare_digest(expected.encode(), sign.strip().upper().encode())

    def parse_webhook(self, headers, body, form):
        try:
            data = json.loads(form.get("param") or "")
        except ValueError as exc:
            raise MalformedPayload("Kuaidi100 'param' is not valid JSON") from exc
        if not isinstance(data, dict) or not isinstance(data.get("lastResult"), dict):
            raise MalformedPayload("Kuaidi100 push without lastResult")
        return self._result_events(data["lastResult"])

    def webhook_ack(self):
        return "application/json", json.dumps(ACK, ensure_ascii=False)

    def _result_events(self, result, fallback_number=None):
        number = result.get("nu") or fallback_number
        if not number or not isinstance(number, str):
            raise MalformedPayload("Kuaidi100 result without 'nu'")
        checkpoints = result.get("data") or []
        if not isinstance(checkpoints, list):
            raise MalformedPayload("Kuaidi100 'data' must be a list")
        events = []
        for index, checkpoint in enumerate(checkpoints):
            if not isinstance(checkpoint, dict):
                raise MalformedPayload("Kuaidi100 checkpoint must be an object")
            when = parse_datetime(checkpoint.get("ftime") or checkpoint.get("time"), default_tz=CHINA_TZ)
            if when is None:
                raise MalformedPayload("Kuaidi100 checkpoint without time")
            code = checkpoint.get("statusCode")
            status = state_status(code) if code else None
            if status is None:
                status = TEXT_STATUS.get((checkpoint.get("status") or "").strip())
            if index == 0 and result.get("state") not in (None, ""):
                # data[] is newest first; lastResult.state is authoritative for the newest one.
                status = state_status(code) if code and state_status(code) else state_status(result["state"])
            latitude = longitude = None
            center = checkpoint.get("areaCenter")
            if isinstance(center, str) and "," in center:
                lng, lat = center.split(",", 1)
                longitude, latitude = parse_float(lng), parse_float(lat)
            events.append(
                TrackingEvent(
                    tracking_number=number,
                    event_time=when,
                    status=status or "in_transit",
                    provider_status=str(code or checkpoint.get("status") or ""),
                    description=checkpoint.get("context") or "",
                    location=checkpoint.get("location") or checkpoint.get("areaName") or "",
                    latitude=latitude,
                    longitude=longitude,
                    raw=checkpoint,
                )
            )
        return events

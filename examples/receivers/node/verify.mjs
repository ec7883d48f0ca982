// Verifies a Cloud Elements event notification (Node.js 18+, no dependencies).
import { createHmac, timingSafeEqual } from "node:crypto";

export function validSignature(rawBody, header, key) {
  const want = "sha256=" + createHmac("sha256", key).update(rawBody).digest("base64");
  const a = Buffer.from(header ?? "");
  const b = Buffer.from(want);
  return a.length === b.length && timingSafeEqual(a, b);
}

// With Express, keep the raw bytes: app.post("/events", express.raw({ type: "*/*" }), (req, res) => {
//   if (!validSignature(req.body, req.get("Elements-Webhook-Signature"), process.env.SIGNATURE_KEY)) {
//     return res.sendStatus(401);
//   }
//   const event = JSON.parse(req.body); ... res.sendStatus(204);
// });

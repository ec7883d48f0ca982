// Runs on every object the transformation maps (the v2 engine: call done).
if (fromVendor) {
  transformedObject.source = 'sfdc';
}
done(transformedObject);

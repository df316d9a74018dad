// Public GCP regions and their zones, from Google's "Regions and zones" page (GCP_ZONES_SOURCE). Data only, no
// provider imports, so the config schema can use it too. Zone letters are not always a-c (europe-west1 and
// us-east1 start at b; us-central1 has four), which is why they are listed instead of derived. Refresh with
// `gcloud compute zones list` when Google opens a region; a region missing here needs explicit `zones`.

/** Where the list comes from and when it was last compared with it. */
export const GCP_ZONES_SOURCE = {
  url: 'https://cloud.google.com/compute/docs/regions-zones',
  checked: '2026-11-29',
} as const;

const abc = (region: string): readonly string[] => [`${region}-a`, `${region}-b`, `${region}-c`];

/** Region → its zones, in Google's order. */
export const GCP_ZONES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'africa-south1': abc('africa-south1'),
  'asia-east1': abc('asia-east1'),
  'asia-east2': abc('asia-east2'),
  'asia-northeast1': abc('asia-northeast1'),
  'asia-northeast2': abc('asia-northeast2'),
  'asia-northeast3': abc('asia-northeast3'),
  'asia-south1': abc('asia-south1'),
  'asia-south2': abc('asia-south2'),
  'asia-southeast1': abc('asia-southeast1'),
  'asia-southeast2': abc('asia-southeast2'),
  'asia-southeast3': abc('asia-southeast3'),
  'australia-southeast1': abc('australia-southeast1'),
  'australia-southeast2': abc('australia-southeast2'),
  'europe-central2': abc('europe-central2'),
  'europe-north1': abc('europe-north1'),
  'europe-north2': abc('europe-north2'),
  'europe-southwest1': abc('europe-southwest1'),
  'europe-west1': ['europe-west1-b', 'europe-west1-c', 'europe-west1-d'],
  'europe-west2': abc('europe-west2'),
  'europe-west3': abc('europe-west3'),
  'europe-west4': abc('europe-west4'),
  'europe-west6': abc('europe-west6'),
  'europe-west8': abc('europe-west8'),
  'europe-west9': abc('europe-west9'),
  'europe-west10': abc('europe-west10'),
  'europe-west12': abc('europe-west12'),
  'me-central1': abc('me-central1'),
  'me-central2': abc('me-central2'),
  'me-west1': abc('me-west1'),
  'northamerica-northeast1': abc('northamerica-northeast1'),
  'northamerica-northeast2': abc('northamerica-northeast2'),
  'northamerica-south1': abc('northamerica-south1'),
  'southamerica-east1': abc('southamerica-east1'),
  'southamerica-west1': abc('southamerica-west1'),
  'us-central1': ['us-central1-a', 'us-central1-b', 'us-central1-c', 'us-central1-f'],
  'us-east1': ['us-east1-b', 'us-east1-c', 'us-east1-d'],
  'us-east4': abc('us-east4'),
  'us-east5': abc('us-east5'),
  'us-south1': abc('us-south1'),
  'us-west1': abc('us-west1'),
  'us-west2': abc('us-west2'),
  'us-west3': abc('us-west3'),
  'us-west4': abc('us-west4'),
});

/** The zones of a region, or an empty list for a region not in GCP_ZONES. */
export function zonesOf(region: string): readonly string[] {
  return Object.prototype.hasOwnProperty.call(GCP_ZONES, region) ? GCP_ZONES[region] : [];
}

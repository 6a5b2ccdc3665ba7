import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigStore } from '../../core/config-store.js';
import { BootlabError } from '../../shared/errors.js';
import type { Builder } from '../../builder/builder.js';
import { FEATURES, TARGETS, targetInfo, type ServeSlot } from '../../builder/catalogue.js';
import { validateScript } from '../../builder/embed-script.js';
import { recommendedRequest } from '../../builder/request.js';
import { SLOT_PROFILE_KEY, serveArtifact, servedBuildInfo } from '../../builder/served.js';
import { publicView } from '../../builder/sources.js';
import { checkToolchain, systemProbe } from '../../builder/toolchain.js';
import type { ArtifactRecord } from '../../builder/artifact-store.js';
import type { ArtifactView, BuilderOverview, DiskUsage, ToolchainReport } from '../../builder/views.js';
import type { ApiRouter } from '../router.js';

export interface BuilderRouteDeps {
  builder: Builder;
  store: ConfigStore;
  bootRoot: () => string;
  /** The HTTP port the generated script names now (running server, else the profile's). */
  httpPort: () => number;
}

/**
 * Which image the recommended set serves per slot. UEFI x64: ipxe.efi, measured (bench/builder-uefi.ts,
 * docs/decisions.md): as fast as snponly.efi on virtio, 1.7x faster on e1000 behind a NIC ROM, and it
 * falls back to the firmware's SNP where it has no driver.
 */
export const RECOMMENDED_SERVE: Record<ServeSlot, string> = {
  bios: 'bin/undionly.kpxe',
  'efi-x64': 'bin-x86_64-efi/ipxe.efi',
  'efi-arm64': 'bin-arm64-efi/ipxe.efi',
};

/**
 * Builder routes: sources (clone with progress and cancel, folder, tarball), builds (queue, log replay,
 * cancel), stored images (download, delete, serve as DHCP's first stage), disk use. Bodies arrive parsed
 * (contract-builder.ts).
 */
export function registerBuilderRoutes(router: ApiRouter, deps: BuilderRouteDeps): void {
  const { builder, store } = deps;
  let tools: { at: number; report: ToolchainReport; arm64: boolean } | undefined;
  const toolchain = () => {
    if (!tools || Date.now() - tools.at > 30_000)
      tools = {
        at: Date.now(),
        report: checkToolchain(['bin/undionly.kpxe', 'bin-x86_64-efi/ipxe.efi'], { needGit: true }),
        arm64: systemProbe.has('aarch64-linux-gnu-gcc'),
      };
    return tools;
  };

  // Walking the work trees costs tens of milliseconds: recount at most every 5 s, or after a change here.
  let disk: { at: number; value: DiskUsage } | undefined;
  const diskUsage = (): DiskUsage => {
    if (!disk || Date.now() - disk.at > 5000) disk = { at: Date.now(), value: builder.disk() };
    return disk.value;
  };

  const servedIds = (): Map<string, ServeSlot[]> => {
    const out = new Map<string, ServeSlot[]>();
    const names = store.profile.dhcp.firstStage;
    for (const slot of Object.keys(SLOT_PROFILE_KEY) as ServeSlot[]) {
      const info = servedBuildInfo(join(deps.bootRoot(), names[SLOT_PROFILE_KEY[slot]]));
      if (info) out.set(info.artifactId, [...(out.get(info.artifactId) ?? []), slot]);
    }
    return out;
  };

  const view = (a: ArtifactRecord, served = servedIds()): ArtifactView => {
    const port = deps.httpPort();
    return {
      ...a,
      servedAs: served.get(a.id) ?? [],
      stale:
        a.scriptHttpPort !== null && a.scriptHttpPort !== port
          ? `Its script asks Bootlab on HTTP port ${a.scriptHttpPort}, Bootlab now uses ${port}: build it again (a script-only rebuild takes seconds).`
          : null,
    };
  };

  const requireArtifact = (id: string): ArtifactRecord => {
    const a = builder.artifacts.get(id);
    if (!a)
      throw new BootlabError('NOT_FOUND', `There is no stored image ${id}.`, 'Reload the Builder page.');
    return a;
  };

  const serve = async (a: ArtifactRecord, slot: ServeSlot): Promise<string> => {
    const t = targetInfo(a.target);
    if (t?.serveAs !== slot)
      throw new BootlabError(
        'BAD_REQUEST',
        `${a.file} (${a.target}) cannot be the ${slot} first stage.`,
        t?.serveAs
          ? `Serve it as ${t.serveAs}.`
          : 'Only network-boot images (undionly.kpxe, ipxe.efi, snponly.efi, ARM64 ipxe.efi) can be handed out by DHCP.',
      );
    const file = serveArtifact(a, slot, deps.bootRoot());
    await store.patchProfile({ dhcp: { firstStage: { [SLOT_PROFILE_KEY[slot]]: file } } });
    return file;
  };

  router.add('GET /api/builder', (): BuilderOverview => {
    const served = servedIds();
    const t = toolchain();
    return {
      sources: builder.sources.list().map(publicView),
      targets: TARGETS,
      features: FEATURES,
      toolchain: t.report,
      arm64: t.arm64,
      jobs: builder.listJobs(),
      artifacts: builder.artifactRecords().map((a) => view(a, served)),
      disk: diskUsage(),
      generatedScript: builder.generatedScript(),
    };
  });
  router.add('POST /api/builder/sources', async ({ body }) => ({
    source: publicView(await builder.sources.add(body)),
  }));
  router.add('DELETE /api/builder/sources/:id', ({ params }) => {
    builder.sources.remove(params.id ?? '');
    return { removed: true as const };
  });
  router.add('POST /api/builder/sources/:id/cancel', ({ params }) => ({
    cancelled: builder.sources.cancelClone(params.id ?? ''),
  }));
  router.add('POST /api/builder/builds', ({ body }) => ({ job: builder.submit(body) }));
  router.add('POST /api/builder/recommended', ({ body }) => {
    const job = builder.submit(recommendedRequest(body.sourceId, toolchain().arm64));
    // When it succeeds, its images become the first stages DHCP hands out.
    void builder.wait(job.id).then(async (done) => {
      if (done.state !== 'succeeded') return;
      for (const id of done.artifactIds) {
        const a = builder.artifacts.get(id);
        const slot = (Object.keys(RECOMMENDED_SERVE) as ServeSlot[]).find(
          (s) => RECOMMENDED_SERVE[s] === a?.target,
        );
        if (a && slot) await serve(a, slot).catch(() => undefined);
      }
    });
    return { job };
  });
  router.add('GET /api/builder/builds/:id/log', ({ params }) => ({ data: builder.log(params.id ?? '') }));
  router.add('POST /api/builder/builds/:id/cancel', ({ params }) => ({
    job: builder.cancel(params.id ?? ''),
  }));
  router.add('POST /api/builder/script-check', ({ body }) => ({ problems: validateScript(body.text) }));
  router.add('POST /api/builder/artifacts/:id/serve', async ({ params, body }) => {
    const a = requireArtifact(params.id ?? '');
    const file = await serve(a, body.slot);
    return { artifact: view(a), file };
  });
  router.add('GET /api/builder/artifacts/:id/download', ({ params }) => {
    const a = requireArtifact(params.id ?? '');
    return { file: a.file, sha256: a.sha256, size: a.size, base64: readFileSync(a.path).toString('base64') };
  });
  router.add('DELETE /api/builder/artifacts/:id', ({ params }) => {
    builder.deleteArtifact(params.id ?? '');
    disk = undefined;
    return { removed: true as const };
  });
  router.add('POST /api/builder/work-trees/delete', async () => ({
    deleted: await builder.deleteWorkTrees(),
  }));
}
